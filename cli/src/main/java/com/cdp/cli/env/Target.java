package com.cdp.cli.env;

import com.cdp.aws.AwsTarget;
import com.cdp.model.config.Buckets;
import com.cdp.model.config.ResourceNames;
import com.cdp.model.table.TableDefinition;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The platform a command acts on: an environment's name, region and credentials, where its AWS
 * services and APIs answer, and its resource names. Every command works out what it talks to from
 * one of these, whatever the environment, so a command has no local-only branch: {@link
 * TargetResolver} builds it from the environment file and the stack's outputs (in AWS) or the
 * running platform's endpoints file (locally).
 *
 * <p>{@code awsEndpoints} holds endpoint overrides by AWS service ({@code dynamodb}, {@code s3},
 * {@code events}, {@code lambda}, {@code athena}); a service without one uses the SDK's own
 * resolution, which honours {@code AWS_ENDPOINT_URL_<SERVICE>}.
 */
public final class Target {
  private final String environment;
  private final boolean localPlatform;
  private final Region region;
  private final AwsCredentialsProvider credentials;
  private final Supplier<Map<String, URI>> awsEndpoints;
  private final Supplier<Endpoints> endpoints;
  private Endpoints resolved;
  private Map<String, URI> resolvedAws;

  /** The platform's own APIs. */
  public record Endpoints(
      URI transactionsApi,
      URI linksApi,
      URI realtimeWebSocket,
      URI realtimeApi,
      String callConnectorFunction) {}

  /**
   * The suppliers are asked once, when a command first needs an AWS service or an API (they may
   * read the running platform's endpoints or call CloudFormation).
   */
  public Target(
      String environment,
      boolean localPlatform,
      Region region,
      AwsCredentialsProvider credentials,
      Supplier<Map<String, URI>> awsEndpoints,
      Supplier<Endpoints> endpoints) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.localPlatform = localPlatform;
    this.region = Objects.requireNonNull(region, "region");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.awsEndpoints = Objects.requireNonNull(awsEndpoints, "awsEndpoints");
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
  }

  private synchronized Map<String, URI> awsEndpoints() {
    if (resolvedAws == null) {
      resolvedAws = Map.copyOf(awsEndpoints.get());
    }
    return resolvedAws;
  }

  public String environment() {
    return environment;
  }

  public Region region() {
    return region;
  }

  private synchronized Endpoints endpoints() {
    if (resolved == null) {
      resolved = endpoints.get();
    }
    return resolved;
  }

  /**
   * Whether this is the platform {@code ./cdp local} runs, found through its endpoints file. An
   * environment described by an environment file is treated as deployed, even one that points at
   * local URLs (that is how the tests pose the local platform as an environment).
   */
  public boolean isLocal() {
    return localPlatform;
  }

  /** The SDK's names of the services the commands call: endpoint variable suffix and host. */
  private static final Map<String, String[]> SERVICES =
      Map.of(
          "dynamodb", new String[] {"DYNAMODB", "dynamodb"},
          "s3", new String[] {"S3", "s3"},
          "events", new String[] {"EVENTBRIDGE", "events"},
          "lambda", new String[] {"LAMBDA", "lambda"},
          "athena", new String[] {"ATHENA", "athena"},
          "cloudformation", new String[] {"CLOUDFORMATION", "cloudformation"});

  /** Where the SDK client of {@code service} points. */
  public AwsTarget aws(String service) {
    lastService = service;
    return new AwsTarget(region, credentials, Optional.ofNullable(awsEndpoints().get(service)));
  }

  private volatile String lastService;

  /**
   * The AWS service the command called last and where it answers, for error messages: {@code
   * dynamodb at https://dynamodb.us-east-1.amazonaws.com}; empty before any.
   */
  public Optional<String> lastCall() {
    String service = lastService;
    return service == null ? Optional.empty() : Optional.of(service + " at " + describe(service));
  }

  /**
   * The endpoint of an AWS service as the SDK resolves it: the override, else {@code
   * AWS_ENDPOINT_URL_<SERVICE>} or {@code AWS_ENDPOINT_URL}, else the regional endpoint.
   */
  public String describe(String service) {
    URI endpoint = awsEndpoints().get(service);
    if (endpoint != null) {
      return endpoint.toString();
    }
    String[] names = SERVICES.getOrDefault(service, new String[] {service.toUpperCase(), service});
    for (String variable : new String[] {"AWS_ENDPOINT_URL_" + names[0], "AWS_ENDPOINT_URL"}) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return "https://" + names[1] + "." + region.id() + ".amazonaws.com";
  }

  public String table(TableDefinition definition) {
    return definition.physicalName(environment);
  }

  public Buckets buckets() {
    return Buckets.of(environment);
  }

  public String eventBus() {
    return ResourceNames.eventBus(environment);
  }

  public String logsWorkGroup() {
    return ResourceNames.logsWorkGroup(environment);
  }

  public URI transactionsApi() {
    return required(endpoints().transactionsApi(), ResourceNames.OUTPUT_TRANSACTIONS_API);
  }

  public URI linksApi() {
    return required(endpoints().linksApi(), "shortDomain");
  }

  public URI realtimeWebSocket() {
    return required(endpoints().realtimeWebSocket(), "realtimeDomain");
  }

  public URI realtimeApi() {
    return required(endpoints().realtimeApi(), ResourceNames.OUTPUT_REALTIME_API);
  }

  public String callConnectorFunction() {
    return required(endpoints().callConnectorFunction(), ResourceNames.OUTPUT_CALL_CONNECTOR);
  }

  private <T> T required(T value, String what) {
    if (value == null) {
      throw new com.cdp.cli.CliException(
          "environment " + environment + " has no " + what + " (stack output or setting)");
    }
    return value;
  }
}

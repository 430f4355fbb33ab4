package com.cdp.cli.env;

import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.model.ValidationException;
import com.cdp.model.config.ResourceNames;
import com.cdp.model.id.EnvironmentName;
import com.cdp.model.json.Json;
import com.cdp.model.wiring.Triggers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Works out a {@link Target} the same way for every environment.
 *
 * <ul>
 *   <li>The environment file {@code infra-cdk/environments/ENV.json} (or {@code
 *       $CDP_ENVIRONMENTS_DIR/ENV.json}) gives the region and the domains, as it does to the CDK
 *       app.
 *   <li>The API endpoints come from the file's optional {@code endpoints} block, else from the
 *       stack's outputs ({@code cdp-ENV}, read with CloudFormation when first needed).
 *   <li>AWS calls use the default credential chain (environment, profiles, SSO), and the SDK's
 *       endpoint resolution, which honours {@code AWS_ENDPOINT_URL_<SERVICE>}.
 * </ul>
 *
 * The local platform is the environment {@code local}: its stack outputs and AWS endpoints are the
 * ones {@code ./cdp local} wrote to {@code .cdp-local/endpoints.json}.
 */
public final class TargetResolver {
  /** Environments that a command acts on only with {@code --production}. */
  public static final Set<String> PRODUCTION = Set.of("prod", "prodadp");

  private final Path environmentsDir;
  private final Supplier<LocalEndpoints> localEndpoints;
  private final Function<Target, Map<String, String>> stackOutputs;

  TargetResolver(
      Path environmentsDir,
      Supplier<LocalEndpoints> localEndpoints,
      Function<Target, Map<String, String>> stackOutputs) {
    this.environmentsDir = environmentsDir;
    this.localEndpoints = localEndpoints;
    this.stackOutputs = stackOutputs;
  }

  /** The resolver the command line uses. */
  public static TargetResolver standard(Path localDataDir) {
    String dir = System.getenv("CDP_ENVIRONMENTS_DIR");
    Path environments =
        dir != null && !dir.isBlank()
            ? Path.of(dir)
            : LocalEndpoints.repoRoot().resolve("infra-cdk").resolve("environments");
    return new TargetResolver(
        environments, () -> LocalEndpoints.load(localDataDir), StackOutputs::describe);
  }

  /**
   * The target named {@code environment} ({@code null} or {@code local}: the local platform).
   * Production environments need {@code production}.
   */
  public Target resolve(String environment, boolean production) {
    String name = environment == null || environment.isBlank() ? "local" : environment.strip();
    try {
      EnvironmentName.of(name);
    } catch (ValidationException e) {
      throw new CliException(e.getMessage());
    }
    if (PRODUCTION.contains(name) && !production) {
      throw new CliException(
          "refusing to act on production environment " + name + " without --production");
    }
    JsonNode file = readEnvironmentFile(name);
    if (file.has("endpoints")) {
      Target.Endpoints explicit = fromBlock(name, file.path("endpoints"), file);
      return new Target(
          name,
          false,
          region(file),
          DefaultCredentialsProvider.builder().build(),
          Map::of,
          () -> explicit);
    }
    if (name.equals("local")) {
      return local(localEndpoints);
    }
    Region region = region(file);
    String shortDomain = text(file, "shortDomain");
    String realtimeDomain = text(file, "realtimeDomain");
    Target[] self = new Target[1];
    self[0] =
        new Target(
            name,
            false,
            region,
            DefaultCredentialsProvider.builder().build(),
            Map::of,
            () -> {
              Map<String, String> outputs = stackOutputs.apply(self[0]);
              return new Target.Endpoints(
                  uri(outputs.get(ResourceNames.OUTPUT_TRANSACTIONS_API)),
                  shortDomain == null ? null : URI.create("https://" + shortDomain),
                  realtimeDomain == null ? null : URI.create("wss://" + realtimeDomain),
                  uri(outputs.get(ResourceNames.OUTPUT_REALTIME_API)),
                  outputs.get(ResourceNames.OUTPUT_CALL_CONNECTOR));
            });
    return self[0];
  }

  /** The running local platform: every API on its gateway, its stand-ins for the AWS services. */
  static Target local(Supplier<LocalEndpoints> running) {
    return new Target(
        "local",
        true,
        Region.US_EAST_1,
        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
        () -> {
          LocalEndpoints local = running.get();
          Map<String, URI> aws = new HashMap<>();
          aws.put("dynamodb", local.dynamoDbUrl());
          aws.put("s3", local.s3Url());
          aws.put("events", URI.create(local.gatewayUrl() + "/_aws/events"));
          aws.put("lambda", local.gatewayUrl());
          return aws;
        },
        () -> {
          URI gateway = running.get().gatewayUrl();
          return new Target.Endpoints(
              gateway,
              gateway,
              URI.create(gateway.toString().replaceFirst("^http", "ws") + "/realtime"),
              gateway,
              Triggers.Functions.CALL_CONNECTOR);
        });
  }

  private JsonNode readEnvironmentFile(String name) {
    Path file = environmentsDir.resolve(name + ".json");
    if (!Files.isRegularFile(file)) {
      if (name.equals("local")) {
        return Json.object();
      }
      throw new CliException("no environment file " + file);
    }
    try {
      JsonNode node = Json.tree(Files.readString(file));
      if (!node.isObject()) {
        throw new CliException(file + " is not a JSON object");
      }
      return node;
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static Target.Endpoints fromBlock(String name, JsonNode block, JsonNode file) {
    String shortDomain = text(file, "shortDomain");
    String realtimeDomain = text(file, "realtimeDomain");
    URI links = uri(text(block, "linksApi"));
    URI ws = uri(text(block, "realtimeWebSocket"));
    return new Target.Endpoints(
        uri(text(block, "transactionsApi")),
        links != null || shortDomain == null ? links : URI.create("https://" + shortDomain),
        ws != null || realtimeDomain == null ? ws : URI.create("wss://" + realtimeDomain),
        uri(text(block, "realtimeApi")),
        text(block, "callConnectorFunction"));
  }

  private static Region region(JsonNode file) {
    String region = text(file, "region");
    return Region.of(region == null ? "us-east-1" : region);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
  }

  private static URI uri(String value) {
    if (value == null) {
      return null;
    }
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new CliException("not a URL: " + value);
    }
  }
}

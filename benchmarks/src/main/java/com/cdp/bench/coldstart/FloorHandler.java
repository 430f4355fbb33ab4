package com.cdp.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
import com.cdp.model.aws.S3Clients;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The floor for cold starts: a handler that only builds SDK clients and makes one call with each.
 * Run from each function's own jar, so it pays for the same jar and SDK classes. {@code
 * FLOOR_CLIENTS} names the clients (comma-separated, default {@code dynamodb}); the harness
 * measures the DynamoDB-only floor and the floor with the function's own set of clients.
 *
 * <p>Each client lives in its own method so a jar without that SDK module never loads its classes.
 */
public final class FloorHandler implements RequestHandler<Map<String, Object>, String> {
  private final List<Runnable> calls = new ArrayList<>();

  public FloorHandler() {
    AwsTarget aws = AwsTarget.fromEnvironment();
    String names = Optional.ofNullable(System.getenv("FLOOR_CLIENTS")).orElse("dynamodb");
    for (String name : Arrays.stream(names.split(",")).map(String::strip).toList()) {
      calls.add(
          switch (name) {
            case "dynamodb" -> dynamoDb(aws);
            case "s3" -> s3(aws);
            case "eventbridge" -> eventBridge(aws);
            case "secretsmanager" -> secrets(aws);
            case "apigatewaymanagementapi" -> managementApi(aws);
            case "ecs" -> ecs(aws);
            default -> throw new IllegalArgumentException("unknown floor client " + name);
          });
    }
  }

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    calls.forEach(Runnable::run);
    return calls.size() + " calls";
  }

  private static Runnable dynamoDb(AwsTarget aws) {
    DynamoDbClient client = AwsClients.dynamoDb(aws);
    return () -> client.listTables(r -> r.limit(1));
  }

  private static Runnable s3(AwsTarget aws) {
    var client = S3Clients.s3(aws);
    return client::listBuckets;
  }

  private static Runnable eventBridge(AwsTarget aws) {
    EventBridgeClient client = AwsClients.build(EventBridgeClient.builder(), aws);
    return () ->
        client.putEvents(
            r ->
                r.entries(
                    e ->
                        e.eventBusName(System.getenv("EVENT_BUS_NAME"))
                            .source("cdp.coldstart.floor")
                            .detailType("floor")
                            .detail("{}")));
  }

  private static Runnable secrets(AwsTarget aws) {
    SecretsManagerClient client = AwsClients.build(SecretsManagerClient.builder(), aws);
    return () -> client.getSecretValue(r -> r.secretId(System.getenv("FLOOR_SECRET")));
  }

  private static Runnable managementApi(AwsTarget aws) {
    URI endpoint = URI.create(System.getenv("REALTIME_MANAGEMENT_ENDPOINT"));
    ApiGatewayManagementApiClient client =
        AwsClients.build(
            ApiGatewayManagementApiClient.builder(),
            new AwsTarget(aws.region(), aws.credentials(), Optional.of(endpoint)));
    return () -> {
      try {
        client.getConnection(r -> r.connectionId("floor="));
      } catch (SdkServiceException gone) {
        // An unknown connection answers 410: the round trip is what the floor pays for.
      }
    };
  }

  private static Runnable ecs(AwsTarget aws) {
    EcsClient client = AwsClients.build(EcsClient.builder(), aws);
    return () ->
        client.runTask(
            r -> r.cluster(System.getenv("GROUP_TASK_CLUSTER")).taskDefinition("floor").count(1));
  }
}

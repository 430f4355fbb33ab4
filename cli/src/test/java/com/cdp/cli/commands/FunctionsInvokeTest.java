package com.cdp.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.cli.LocalEndpoints;
import com.cdp.local.iam.AccessLog;
import com.cdp.local.iam.FrontDoor;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.runtime.FunctionPool;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.LocalTemplate;
import com.cdp.testing.RepoRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cdp functions invoke} starts the function in a JVM of its own against the running
 * platform: it must reach AWS as the platform's own function JVMs do, through the IAM front door,
 * signed as its execution role, with its log lines published to the log topic's SNS endpoint.
 */
class FunctionsInvokeTest {
  @TempDir static Path dataDir;
  private static LocalPlatform platform;

  @BeforeAll
  static void start() {
    platform = LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void invoke_callsAwsThroughTheFrontDoorAsTheFunctionsRole_andPublishesItsLogs() throws Exception {
    FrontDoor door = platform.frontDoor().orElseThrow();
    LocalTemplate template = platform.template();
    LocalEndpoints endpoints =
        new LocalEndpoints(
            platform.gatewayUrl(),
            platform.s3Target().endpoint().orElseThrow(),
            platform.dynamoDbTarget().endpoint().orElseThrow());
    String event =
        """
        {"version":"2.0","routeKey":"GET /accounts/{accountId}/transactions",
         "rawPath":"/accounts/a1/transactions","rawQueryString":"",
         "headers":{"authorization":"Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
         "pathParameters":{"accountId":"a1"},
         "requestContext":{"http":{"method":"GET","path":"/accounts/a1/transactions"},
           "requestId":"r1","routeKey":"GET /accounts/{accountId}/transactions","stage":"$default"}}
        """;
    LocalTemplate.Function function =
        FunctionsCommand.Invoke.runnable(template, endpoints, "get-transactions");
    String role =
        com.cdp.local.iam.IamReader.read(FunctionsCommand.assemblyDir(RepoRoot.find()))
            .roleOfFunction(function.name())
            .orElseThrow()
            .name();
    try (FunctionPool pool =
        FunctionsCommand.Invoke.pool(template, endpoints, dataDir, RepoRoot.find())) {
      InvocationResult result = pool.invoke(function, event.getBytes(StandardCharsets.UTF_8));
      assertThat(result.failed()).as(result.payloadText()).isFalse();
      // the session lookup ran (and found no such session): the table was read as the role
      assertThat(result.payloadText()).contains("401");
    }
    assertThat(door.accessLog().used())
        .contains(
            new AccessLog.Use(
                role,
                "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/cdp-local-sessions"));
    // its log line reached the log topic through the SNS endpoint, as its role
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (door.accessLog().used().stream()
            .noneMatch(u -> u.role().equals(role) && u.action().equals("sns:Publish"))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(door.accessLog().used())
        .anyMatch(u -> u.role().equals(role) && u.action().equals("sns:Publish"));
    assertThat(door.accessLog().deniedCount()).isZero();
  }
}

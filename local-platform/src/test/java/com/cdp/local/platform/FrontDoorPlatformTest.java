package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.iam.AccessLog;
import com.cdp.local.iam.FrontDoor;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.testing.RepoRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function JVM of the template-driven platform calls AWS through the IAM front door, signed as
 * its execution role, with enforcement on.
 */
class FrontDoorPlatformTest {
  @TempDir static Path dataDir;
  private static LocalPlatform platform;

  @BeforeAll
  static void start() {
    System.setProperty(LocalPlatform.IAM_MODE_PROPERTY, "enforce");
    try {
      platform = LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of());
    } finally {
      System.clearProperty(LocalPlatform.IAM_MODE_PROPERTY);
    }
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void getTransactionsReadsTheSessionsTableAsItsRoleThroughTheFrontDoor() throws Exception {
    FrontDoor door = platform.frontDoor().orElseThrow();
    assertThat(platform.functions()).isNotNull();
    String event =
        """
        {"version":"2.0","routeKey":"GET /accounts/{accountId}/transactions",
         "rawPath":"/accounts/a1/transactions","rawQueryString":"",
         "headers":{"authorization":"Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
         "pathParameters":{"accountId":"a1"},
         "requestContext":{"http":{"method":"GET","path":"/accounts/a1/transactions"},
           "requestId":"r1","routeKey":"GET /accounts/{accountId}/transactions","stage":"$default"}}
        """;
    InvocationResult result =
        platform.invoke("get-transactions", event.getBytes(StandardCharsets.UTF_8));
    assertThat(result.failed()).as(result.payloadText()).isFalse();
    assertThat(result.payloadText()).contains("401");
    assertThat(door.accessLog().used())
        .extracting(AccessLog.Use::action, AccessLog.Use::resource)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/cdp-local-sessions"));
    assertThat(door.mode()).isEqualTo(com.cdp.local.iam.IamMode.ENFORCE);
    assertThat(door.accessLog().deniedCount()).isZero();
    // the log publisher's SNS PublishBatch (form-encoded, "charset=utf-8") verifies too: the
    // function's log line reaches the log topic as its role
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (door.accessLog().used().stream().noneMatch(u -> u.action().equals("sns:Publish"))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(door.accessLog().used()).extracting(AccessLog.Use::action).contains("sns:Publish");
  }
}

package com.cdp.cli.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.platform.LocalConnectorHub;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.connectors.ConnectorsLocal;
import com.cdp.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's finding: a call-connector process died after the hub had done the call, and Lambda's
 * retry called the hub again. Calls are at least once (CONTRACTS section 6: the invocation fails so
 * that the retries apply); what the hub needs to recognise the repeat is the same {@code
 * x-transaction-id} on every attempt of one fire, and another one for the next fire.
 */
class ScheduledCallRetryAfterCrashTest {
  @TempDir static Path dataDir;
  static LocalPlatform platform;
  static final AtomicInteger crashes = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    platform =
        LocalPlatform.start(
            LocalOptions.forTests(dataDir, RepoRoot.find()), List.of(new ConnectorsLocal()));
    // The first call is done by the connector, then the function's process dies (kill -9) before
    // it could return: the crash Lambda retries.
    platform
        .connectorHub()
        .register(
            "cdp-transfer",
            "1",
            "syncTransfers",
            call -> {
              if (crashes.get() == 0) {
                platform
                    .functions()
                    .busyPids()
                    .forEach(
                        (function, pids) -> {
                          if (function
                              .toLowerCase(java.util.Locale.ROOT)
                              .replace("-", "")
                              .contains("callconnector")) {
                            pids.forEach(
                                pid ->
                                    ProcessHandle.of(pid)
                                        .ifPresent(
                                            p -> {
                                              p.destroyForcibly();
                                              p.onExit().join();
                                              crashes.incrementAndGet();
                                            }));
                          }
                        });
              }
              return new LocalConnectorHub.Reply(200, Map.of("status", "ok"));
            });
    platform.fireSchedule("tcu-sync-transfers");
    assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();
    Thread.sleep(1100); // the next fire is at another time
    platform.fireSchedule("tcu-sync-transfers");
    assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aRetryAfterTheProcessDied_callsTheHubUnderTheFiresTransactionId_theNextFireUnderAnother()
      throws Exception {
    List<LocalConnectorHub.Call> sync =
        platform.connectorHub().calls().stream()
            .filter(c -> c.method().equals("syncTransfers"))
            .toList();

    assertThat(crashes.get()).as("function processes killed mid-invocation").isEqualTo(1);
    assertThat(sync).as("the crashed attempt, its retry, the next fire").hasSize(3);
    assertThat(sync.get(0).transactionId())
        .isNotBlank()
        .isEqualTo(sync.get(1).transactionId())
        .isNotEqualTo(sync.get(2).transactionId());
    Path dead = ConnectorsLocal.deadLetters(platform);
    assertThat(Files.isRegularFile(dead) ? Files.readString(dead) : "")
        .doesNotContain("syncTransfers");
  }
}

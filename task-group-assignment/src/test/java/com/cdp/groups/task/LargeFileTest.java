package com.cdp.groups.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A 100,000-row file is validated, planned, applied and reported (twice: the second run finds
 * everything unchanged) in a JVM with a 64 MB heap, which also holds the in-memory stand-ins for
 * the groups and the file. The task's memory is bounded by its rows, not by the file's text.
 */
class LargeFileTest {
  @Test
  void run_whenTheFileHas100kRows_completesInA64MbHeap() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                LargeFileProbe.class.getName(),
                "100000")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    List<String> lines =
        output.lines().filter(l -> l.startsWith("first:") || l.startsWith("second:")).toList();
    assertThat(lines)
        .containsExactly(
            "first: exit=0 status=completed counts={\"added\":100000,\"removed\":0,\"partiallyEnrolled\":50000,\"unchanged\":0,\"rejected\":0,\"notApplied\":0}",
            "second: exit=0 status=completed counts={\"added\":0,\"removed\":0,\"partiallyEnrolled\":0,\"unchanged\":100000,\"rejected\":0,\"notApplied\":0}");
  }
}

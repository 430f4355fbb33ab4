package com.cdp.local.standin;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dynalite (a DynamoDB-compatible server on LevelDB) as a child process. Installed by {@code npm
 * ci} from the repository's lockfile; started with zero table-state delays so tables are ACTIVE at
 * once. Closing it kills the process; a JVM shutdown hook does too, so no node process outlives us.
 */
public final class Dynalite implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dynalite.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final Path log;
  private final Thread shutdownHook;

  private Dynalite(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.shutdownHook = new Thread(process::destroyForcibly, "dynalite-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts dynalite on the port (0 picks a free one), in memory when {@code dataDir} is empty,
   * otherwise persisting under it.
   */
  public static Dynalite start(Path repoRoot, int port, Optional<Path> dataDir) {
    Path cli = repoRoot.resolve("node_modules/dynalite/cli.js");
    if (!Files.isRegularFile(cli)) {
      throw new StandInException(
          "dynalite is not installed: run 'npm ci' in " + repoRoot + " (needs Node.js 18+)");
    }
    String node = findNode();
    int chosen = port == 0 ? Ports.free() : port;
    Ports.requireFree(chosen, "DynamoDB stand-in");
    List<String> command =
        new ArrayList<>(List.of(node, cli.toString(), "--port", String.valueOf(chosen)));
    command.addAll(
        List.of(
            "--host",
            "127.0.0.1",
            "--createTableMs",
            "0",
            "--deleteTableMs",
            "0",
            "--updateTableMs",
            "0"));
    Path log;
    try {
      if (dataDir.isPresent()) {
        Files.createDirectories(dataDir.get());
        command.addAll(List.of("--path", dataDir.get().toString()));
        log = dataDir.get().resolveSibling("dynalite.log");
      } else {
        log = Files.createTempFile("dynalite", ".log");
        log.toFile().deleteOnExit();
      }
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Dynalite dynalite = new Dynalite(process, chosen, log);
      dynalite.awaitListening(dataDir);
      return dynalite;
    } catch (IOException e) {
      throw new StandInException("cannot start dynalite: " + e.getMessage(), e);
    }
  }

  private void awaitListening(Optional<Path> dataDir) {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        String output = tail();
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
        String hint =
            dataDir.isPresent() && output.toLowerCase().contains("corrupt")
                ? " (the data directory "
                    + dataDir.get()
                    + " looks corrupt: move it away to start fresh)"
                : "";
        throw new StandInException("dynalite exited at start" + hint + ": " + output);
      }
      if (Ports.isListening(port)) {
        LOG.debug("dynalite listening on {}", port);
        return;
      }
      sleep(50);
    }
    close();
    throw new StandInException(
        "dynalite did not start listening within " + START_TIMEOUT.toSeconds() + " s");
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "(no output)";
    }
  }

  static String findNode() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "node");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new StandInException("Node.js was not found on PATH: install Node.js 18 or newer");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StandInException("interrupted while starting dynalite");
    }
  }

  public int port() {
    return port;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run; nothing to undo
    }
  }
}

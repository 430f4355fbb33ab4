package com.cdp.local.template;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cloud assembly of the {@code local} environment ({@code cdp-local.template.json} and its
 * asset manifest), synthesized by {@code com.cdp.infra.LocalSynth} and kept while a fingerprint of
 * what it is made of (infra-cdk's sources and pom, {@code infra-cdk/environments/}, {@code
 * config/}) is unchanged. The functions' jars are not part of the fingerprint: with asset staging
 * disabled the manifest names the jar files themselves, so a rebuilt jar is picked up without
 * synthesizing again.
 */
public final class CloudAssembly {
  /** The local environment's stack, as LocalSynth names it. */
  public static final String STACK = "cdp-local";

  private static final String FINGERPRINT_FILE = "cdp-fingerprint";

  private CloudAssembly() {}

  /** A SHA-256 over the paths and contents of everything the local template is made of. */
  public static String fingerprint(Path repoRoot) {
    List<Path> files = new ArrayList<>();
    for (Path root :
        List.of(
            repoRoot.resolve("infra-cdk/src/main"),
            repoRoot.resolve("infra-cdk/environments"),
            repoRoot.resolve("infra-cdk/pom.xml"),
            repoRoot.resolve("config"))) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    files.sort(null);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        sha.update(repoRoot.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Files.readAllBytes(file));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code outDir} holds an assembly synthesized from the current sources. */
  public static boolean isCurrent(Path repoRoot, Path outDir) {
    Path stamp = outDir.resolve(FINGERPRINT_FILE);
    try {
      return Files.isRegularFile(outDir.resolve(STACK + ".template.json"))
          && Files.isRegularFile(stamp)
          && Files.readString(stamp).trim().equals(fingerprint(repoRoot));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Synthesizes the local template into {@code outDir} unless it is current, running LocalSynth
   * with infra-cdk's build output ({@code infra-cdk/target/classes} and {@code classpath.txt}).
   *
   * @return whether it synthesized
   */
  public static boolean ensure(Path repoRoot, Path outDir) {
    if (isCurrent(repoRoot, outDir)) {
      return false;
    }
    String fingerprint = fingerprint(repoRoot);
    Path classes = repoRoot.resolve("infra-cdk/target/classes");
    Path classpath = repoRoot.resolve("infra-cdk/target/classpath.txt");
    if (!Files.isDirectory(classes) || !Files.isRegularFile(classpath)) {
      throw new IllegalStateException(
          "infra-cdk is not built ("
              + classpath
              + " missing): run 'mvn -B install -DskipTests' at the repository root");
    }
    try {
      Path staging = Files.createDirectories(outDir.getParent()).resolve(STACK + ".synth");
      deleteTree(staging);
      Path log = outDir.getParent().resolve(STACK + ".synth.log");
      Process process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  classes + java.io.File.pathSeparator + Files.readString(classpath).trim(),
                  "com.cdp.infra.LocalSynth",
                  repoRoot.toString(),
                  staging.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .directory(repoRoot.resolve("infra-cdk").toFile())
              .start();
      // A platform stopped while synthesizing must not leave the synthesis (and its Node child)
      // running behind it.
      Thread stop =
          new Thread(
              () -> {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
              },
              "stop-local-synth");
      Runtime.getRuntime().addShutdownHook(stop);
      try {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
          stop.run();
          throw new IllegalStateException("synthesizing the local template took over 10 minutes");
        }
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or about to: it stops the synthesis
        }
      }
      if (process.exitValue() != 0) {
        List<String> lines = Files.readAllLines(log);
        throw new IllegalStateException(
            "synthesizing the local template failed (log: "
                + log
                + "):\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      }
      Files.writeString(staging.resolve(FINGERPRINT_FILE), fingerprint);
      deleteTree(outDir);
      Files.move(staging, outDir, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while synthesizing the local template", e);
    }
  }

  /** Reads the assembly's template, resolving each function's code through the asset manifest. */
  public static LocalTemplate read(Path outDir) {
    JsonNode template = json(outDir.resolve(STACK + ".template.json"));
    Path assetsFile = outDir.resolve(STACK + ".assets.json");
    Map<String, Path> assets =
        Files.isRegularFile(assetsFile) ? assetsByObjectKey(json(assetsFile), outDir) : Map.of();
    return new TemplateReader(template, region(outDir), STACK, assets).read();
  }

  /** Each file asset's S3 object key mapped to its source file (relative paths: the assembly's). */
  static Map<String, Path> assetsByObjectKey(JsonNode manifest, Path outDir) {
    Map<String, Path> out = new HashMap<>();
    for (Iterator<JsonNode> files = manifest.path("files").elements(); files.hasNext(); ) {
      JsonNode asset = files.next();
      Path source = outDir.resolve(asset.path("source").path("path").asText());
      for (Iterator<JsonNode> d = asset.path("destinations").elements(); d.hasNext(); ) {
        out.put(d.next().path("objectKey").asText(), source);
      }
    }
    return out;
  }

  /** The region the assembly's stack is synthesized for. */
  public static String region(Path outDir) {
    JsonNode manifest = json(outDir.resolve("manifest.json"));
    String environment =
        manifest
            .path("artifacts")
            .path(STACK)
            .path("environment")
            .asText("aws://unknown/us-east-1");
    return environment.substring(environment.lastIndexOf('/') + 1);
  }

  /** The assembly's template JSON, unresolved (e.g. for the IAM reader). */
  public static JsonNode templateJson(Path outDir) {
    return json(outDir.resolve(STACK + ".template.json"));
  }

  private static JsonNode json(Path file) {
    try {
      return Json.mapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

package com.cdp.local.platform;

import com.cdp.local.template.CloudAssembly;
import com.cdp.local.template.LocalTemplate;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The synthesized local CDK template the platform runs: synthesized into {@code
 * infra-cdk/target/cdk-local} when infra-cdk, the environment files or {@code config/} changed,
 * then read. Kept per JVM while the assembly's fingerprint is unchanged, so test classes sharing a
 * JVM read it once.
 */
public final class PlatformTemplate {
  private static Path cachedDir;
  private static String cachedFingerprint;
  private static LocalTemplate cached;

  private PlatformTemplate() {}

  /** Where {@code ./cdp} keeps the local cloud assembly. */
  public static Path assemblyDir(Path repoRoot) {
    return repoRoot.resolve("infra-cdk/target/cdk-local");
  }

  /** Each container image asset's tag mapped to its source directory (the asset manifest's). */
  public static java.util.Map<String, Path> imageDirectories(Path repoRoot) {
    Path manifest = assemblyDir(repoRoot).resolve(CloudAssembly.STACK + ".assets.json");
    java.util.Map<String, Path> out = new java.util.HashMap<>();
    if (!java.nio.file.Files.isRegularFile(manifest)) {
      return out;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode images =
          com.cdp.model.json.Json.tree(java.nio.file.Files.readString(manifest))
              .path("dockerImages");
      images
          .fields()
          .forEachRemaining(
              image -> {
                Path dir = Path.of(image.getValue().path("source").path("directory").asText());
                image
                    .getValue()
                    .path("destinations")
                    .forEach(d -> out.put(d.path("imageTag").asText(), dir));
              });
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + manifest, e);
    }
    return out;
  }

  /**
   * The template, synthesized first when its sources changed ({@code progress} hears about it).
   *
   * @throws com.cdp.local.template.TemplateException when a property or intrinsic the platform runs
   *     cannot be resolved (names the logical id and the property)
   * @throws IllegalStateException when infra-cdk is not built or synthesis fails
   */
  public static synchronized LocalTemplate load(Path repoRoot, Consumer<String> progress) {
    Path dir = assemblyDir(repoRoot).toAbsolutePath().normalize();
    if (!CloudAssembly.isCurrent(repoRoot, dir)) {
      progress.accept("synthesizing the local CDK template (infra-cdk or config changed)...");
      CloudAssembly.ensure(repoRoot, dir);
    }
    String fingerprint = CloudAssembly.fingerprint(repoRoot);
    if (cached == null || !dir.equals(cachedDir) || !fingerprint.equals(cachedFingerprint)) {
      cached = CloudAssembly.read(dir);
      cachedDir = dir;
      cachedFingerprint = fingerprint;
    }
    return cached;
  }
}

package com.cdp.local.template;

import com.cdp.infra.CdpApp;
import com.cdp.infra.FunctionCode;
import com.cdp.infra.LocalSynth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real local template, synthesized once per test JVM from this repository's infra-cdk and
 * environment files, with each function's code asset a small stand-in file named like the module's
 * shaded jar (the functions need not be built for the reader tests).
 */
public final class SynthesizedLocalTemplate {
  static final List<String> MODULES =
      List.of(
          "lambda-txn-chunker",
          "lambda-txn-loader",
          "lambda-platform-txn-added",
          "lambda-txn-cleanser",
          "lambda-get-transactions",
          "lambda-ws-connect",
          "lambda-ws-subscribe",
          "lambda-relay-message",
          "lambda-group-assignment-trigger",
          "lambda-url-shortener",
          "lambda-call-connector");

  private static Path assembly;

  private SynthesizedLocalTemplate() {}

  static Path repoRoot() {
    return Path.of(System.getProperty("cdp.repoRoot", "..")).toAbsolutePath().normalize();
  }

  public static synchronized Path assembly() {
    if (assembly == null) {
      try {
        Path fakeRoot = Files.createTempDirectory("local-template-jars");
        for (String module : MODULES) {
          Path jar =
              fakeRoot.resolve(module + "/target/" + module + "-" + CdpApp.VERSION + "-lambda.jar");
          Files.createDirectories(jar.getParent());
          Files.writeString(jar, "stand-in for " + module);
        }
        Path out = Files.createTempDirectory("local-assembly");
        LocalSynth.synthesize(repoRoot(), out, FunctionCode.built(fakeRoot, CdpApp.VERSION));
        assembly = out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return assembly;
  }

  public static LocalTemplate read() {
    return CloudAssembly.read(assembly());
  }
}

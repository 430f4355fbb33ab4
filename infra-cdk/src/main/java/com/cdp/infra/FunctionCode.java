package com.cdp.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.services.lambda.Code;

/**
 * Where each function's deployable comes from: the shaded jar a module builds ({@code
 * lambda-x/target/lambda-x-VERSION-lambda.jar}). Tests synthesize without building the functions by
 * pointing every function at a placeholder directory.
 */
public interface FunctionCode {
  Code of(String module);

  /** The jars built by {@code mvn package} under the repository root. */
  static FunctionCode built(Path repoRoot, String version) {
    return module -> {
      Path jar =
          repoRoot
              .resolve(module)
              .resolve("target")
              .resolve(module + "-" + version + "-lambda.jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            "missing "
                + jar
                + ": run 'mvn -B package -DskipTests' at the repository root before 'cdk synth'");
      }
      return Code.fromAsset(jar.toString());
    };
  }

  /** One empty asset for every function: for synthesis tests. */
  static FunctionCode placeholder(Path directory) {
    return module -> Code.fromAsset(directory.toString());
  }
}

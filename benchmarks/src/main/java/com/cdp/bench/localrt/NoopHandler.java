package com.cdp.bench.localrt;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.cdp.local.template.LocalTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** A handler that echoes its input: the invoke path's own cost, with no work of its own. */
public final class NoopHandler implements RequestStreamHandler {
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    input.transferTo(output);
  }

  /**
   * This handler as a template function named {@code name}, from a jar of its own written into
   * {@code work}, with the JVM options the template gives every function and a mid-size function's
   * memory: the baseline of the local-runtime and cold-start harnesses.
   */
  public static LocalTemplate.Function function(Path work, String logicalId, String name)
      throws IOException {
    Path jar = work.resolve(name + "-lambda.jar");
    String entry = NoopHandler.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        var in = NoopHandler.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return new LocalTemplate.Function(
        logicalId,
        name,
        "arn:aws:lambda:us-east-1:000000000000:function:" + name,
        NoopHandler.class.getName() + "::handleRequest",
        "java17",
        Map.of("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"),
        512,
        30,
        OptionalInt.empty(),
        Optional.empty(),
        Optional.of(jar),
        LocalTemplate.AsyncConfig.LAMBDA_DEFAULT);
  }
}

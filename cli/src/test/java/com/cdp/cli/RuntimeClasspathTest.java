package com.cdp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./cdp} runs on the runtime classpath the build writes to {@code target/classpath.txt}, not
 * on the test classpath: a dependency declared with test scope here hides the same dependency that
 * a function module brings at compile scope (nearest wins), and the in-process area then fails only
 * when a user runs {@code ./cdp local} (seen: the cleanser's Secrets Manager client).
 */
class RuntimeClasspathTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient",
        "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
        "software.amazon.awssdk.services.s3.S3Client",
        "software.amazon.awssdk.services.eventbridge.EventBridgeClient",
        "software.amazon.awssdk.services.sns.SnsClient",
        "software.amazon.awssdk.services.ecs.EcsClient",
        "software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient",
        "com.cdp.ingestion.cleanser.CleanserHandler",
        "com.cdp.cli.CdpCommand"
      })
  void theCdpRuntimeClasspath_holdsWhatTheInProcessAreasConstruct(String className)
      throws Exception {
    Path file = Path.of("target", "classpath.txt");
    assertThat(file).as("written by the build before the tests").exists();
    List<URL> urls = new ArrayList<>();
    urls.add(Path.of("target", "classes").toUri().toURL());
    for (String entry : Files.readString(file).trim().split(java.io.File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    try (URLClassLoader runtime =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThatCode(() -> Class.forName(className, false, runtime)).doesNotThrowAnyException();
    }
  }
}

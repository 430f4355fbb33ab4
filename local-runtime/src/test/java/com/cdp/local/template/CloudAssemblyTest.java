package com.cdp.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudAssemblyTest {
  @TempDir Path repo;

  private void write(String path, String content) throws Exception {
    Path file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Test
  void theAssemblyIsCurrentUntilInfraEnvironmentsOrConfigChange() throws Exception {
    write("infra-cdk/src/main/java/A.java", "class A {}");
    write("infra-cdk/environments/local.json", "{}");
    write("config/schedules.json", "{\"schedules\":[]}");
    Path out = repo.resolve("infra-cdk/target/cdk-local");
    Files.createDirectories(out);
    Files.writeString(out.resolve("cdp-local.template.json"), "{}");
    Files.writeString(out.resolve("cdp-fingerprint"), CloudAssembly.fingerprint(repo));
    assertThat(CloudAssembly.isCurrent(repo, out)).isTrue();

    write("config/schedules.json", "{\"schedules\":[{}]}");
    assertThat(CloudAssembly.isCurrent(repo, out)).isFalse();
    Files.writeString(out.resolve("cdp-fingerprint"), CloudAssembly.fingerprint(repo));
    write("infra-cdk/environments/local.json", "{\"name\":\"local\"}");
    assertThat(CloudAssembly.isCurrent(repo, out)).isFalse();
    Files.writeString(out.resolve("cdp-fingerprint"), CloudAssembly.fingerprint(repo));
    write("infra-cdk/src/main/java/B.java", "class B {}");
    assertThat(CloudAssembly.isCurrent(repo, out)).isFalse();
    Files.writeString(out.resolve("cdp-fingerprint"), CloudAssembly.fingerprint(repo));
    // Build output and function jars are not part of it.
    write("lambda-x/target/lambda-x-lambda.jar", "rebuilt");
    assertThat(CloudAssembly.isCurrent(repo, out)).isTrue();
  }

  @Test
  void eachCodeAssetMapsToTheFileTheManifestNames() throws Exception {
    String manifest =
        """
        {"files": {"h1": {"source": {"path": "/repo/lambda-a/target/lambda-a-0.1.0-SNAPSHOT-lambda.jar",
                                     "packaging": "file"},
                          "destinations": {"d": {"bucketName": "b", "objectKey": "h1.jar"}}},
                   "h2": {"source": {"path": "asset.h2", "packaging": "zip"},
                          "destinations": {"d": {"bucketName": "b", "objectKey": "h2.zip"}}}}}
        """;
    Map<String, Path> assets =
        CloudAssembly.assetsByObjectKey(Json.mapper().readTree(manifest), Path.of("/out"));
    assertThat(assets)
        .containsEntry(
            "h1.jar", Path.of("/repo/lambda-a/target/lambda-a-0.1.0-SNAPSHOT-lambda.jar"))
        .containsEntry("h2.zip", Path.of("/out/asset.h2"));
  }
}

package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.testing.RepoRoot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The stand-ins' restart hooks the chaos harness (issue 21) uses: a restarted dynalite or S3Proxy
 * comes back on the same port with the same data.
 */
class LocalPlatformRestartTest {
  @TempDir Path dataDir;

  @Test
  void restartedStandIns_keepTheirPortsAndData_andServeAgain() throws Exception {
    try (LocalPlatform platform =
        LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of())) {
      String table = platform.tableName(Tables.LINKS);
      Map<String, AttributeValue> item =
          Map.of("pk", AttributeValue.fromS("restart"), "sk", AttributeValue.fromS("kept"));
      platform.dynamoDb().putItem(r -> r.tableName(table).item(item));
      String bucket = platform.ensureOrganization(OrganizationId.of("restart-org"));
      platform
          .s3()
          .putObject(r -> r.bucket(bucket).key("kept.txt"), RequestBody.fromString("kept"));
      var dynamoDb = platform.dynamoDbTarget().endpoint();
      var s3 = platform.s3Target().endpoint();

      platform.restartDynamoDb(Duration.ZERO);
      platform.restartS3(Duration.ZERO);

      assertThat(platform.dynamoDbTarget().endpoint()).isEqualTo(dynamoDb);
      assertThat(platform.s3Target().endpoint()).isEqualTo(s3);
      assertThat(
              platform
                  .dynamoDb()
                  .getItem(r -> r.tableName(table).key(item).consistentRead(true))
                  .item())
          .isEqualTo(item);
      assertThat(
              platform.s3().getObjectAsBytes(r -> r.bucket(bucket).key("kept.txt")).asUtf8String())
          .isEqualTo("kept");
      platform
          .s3()
          .putObject(r -> r.bucket(bucket).key("after.txt"), RequestBody.fromString("after"));
      assertThat(
              platform.s3().getObjectAsBytes(r -> r.bucket(bucket).key("after.txt")).asUtf8String())
          .isEqualTo("after");
    }
  }
}

package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.platform.logging.LocalDeliveryStream;
import com.cdp.local.template.LocalTemplate;
import com.cdp.logging.LogLayout;
import com.cdp.model.json.Json;
import com.cdp.testing.RepoRoot;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local delivery stream is the template's Firehose delivery stream: its name, prefix, error
 * output prefix and buffering hints come from the synthesized local template.
 */
@ExtendWith(StandInsExtension.class)
class LocalLoggingTest {
  private final StandIns standIns;

  LocalLoggingTest(StandIns standIns) {
    this.standIns = standIns;
  }

  @Test
  void theLocalStream_takesNamePrefixesAndBufferingFromTheTemplatesDeliveryStream() {
    LocalTemplate.LogDelivery delivery =
        PlatformTemplate.load(RepoRoot.find(), line -> {}).logDeliveries().get(0);

    assertThat(LocalLogging.settings(delivery))
        .isEqualTo(
            new LocalDeliveryStream.Settings(
                (long) delivery.bufferingMb() << 20,
                Duration.ofSeconds(delivery.bufferingSeconds())));
    LocalDeliveryStream.Layout layout = LocalLogging.layout(delivery);
    assertThat(layout.streamName()).isEqualTo(delivery.streamName());
    assertThat(layout.prefix()).isEqualTo(delivery.prefix()).contains("!{partitionKeyFromQuery:");
    assertThat(layout.errorOutputPrefix()).isEqualTo(delivery.errorOutputPrefix());

    String bucket = standIns.bucket("logs-" + TestIds.suffix());
    String record =
        "{\"organizationID\":\"tcu\",\"logType\":\"web\",\"environment\":\"local\",\"year\":\"2026\","
            + "\"month\":\"11\",\"day\":\"28\",\"hour\":\"10\",\"events\":[]}";
    Instant before = Instant.now();
    try (LocalDeliveryStream stream =
        LocalDeliveryStream.start(
            standIns.s3(),
            bucket,
            new LocalDeliveryStream.Settings(1 << 20, Duration.ofMinutes(5)),
            layout)) {
      stream.put(record);
      stream.put("not json");
    }
    List<String> keys =
        standIns.s3().listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
            .map(S3Object::key)
            .filter(k -> !k.endsWith("/"))
            .toList();
    // the template's prefix gives the contract's partition layout, the stream's name the objects'
    assertThat(keys)
        .hasSize(2)
        .anyMatch(
            k ->
                k.startsWith(
                    LogLayout.partitionPrefixOf(Json.tree(record)).orElseThrow()
                        + delivery.streamName()
                        + "-1-"))
        .anyMatch(
            k ->
                k.startsWith(
                    "logs-errors/processing-failed/year="
                        + DateTimeFormatter.ofPattern("yyyy")
                            .withZone(ZoneOffset.UTC)
                            .format(before)
                        + "/"));
  }
}

package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageTrimmerTest {
  private static ObjectNode message(int events, int descriptionLength) {
    ObjectNode m = Json.object();
    m.put("organizationID", "tcu").put("logType", "web").put("environment", "dev");
    m.put("year", "2026").put("month", "11").put("day", "28").put("hour", "10");
    m.put("time", "2026-11-28T10:00:00.000Z").put("transactionId", "t-1").put("server", "s");
    ArrayNode list = m.putArray("events");
    for (int i = 0; i < events; i++) {
      list.addObject().put("action", "a" + i).put("description", "é".repeat(descriptionLength));
    }
    return m;
  }

  @Test
  void fit_whenTheMessageFits_returnsItUnchanged() {
    String json = Json.write(message(3, 10));
    MessageTrimmer.Result r = MessageTrimmer.fit(json, MessageTrimmer.SNS_MAX_BYTES);
    assertThat(r.trimmed()).isFalse();
    assertThat(r.message()).isSameAs(json);
  }

  @Test
  void fit_longStrings_areCutWithAVisibleMarker() {
    String json = Json.write(message(1, 300_000));
    MessageTrimmer.Result r = MessageTrimmer.fit(json, MessageTrimmer.SNS_MAX_BYTES);
    JsonNode out = Json.tree(r.message());
    assertThat(r.trimmed()).isTrue();
    assertThat(r.bytes()).isLessThanOrEqualTo(MessageTrimmer.SNS_MAX_BYTES);
    assertThat(out.get("trimmed").asBoolean()).isTrue();
    assertThat(out.get("originalBytes").asInt()).isEqualTo(r.originalBytes());
    assertThat(out.get("events").get(0).get("description").asText())
        .endsWith(MessageTrimmer.CUT_MARKER);
    assertThat(LogLayout.partitionPrefixOf(out)).isPresent();
  }

  @Test
  void fit_manyEvents_keepsBothEndsAndSaysHowManyWereRemoved() {
    String json = Json.write(message(20_000, 20));
    JsonNode out = Json.tree(MessageTrimmer.fit(json, MessageTrimmer.SNS_MAX_BYTES).message());
    JsonNode events = out.get("events");
    assertThat(events).hasSize(51);
    assertThat(events.get(0).get("action").asText()).isEqualTo("a0");
    assertThat(events.get(25).get("action").asText()).isEqualTo("trimmed");
    assertThat(events.get(25).get("description").asText()).startsWith("19950 events removed");
    assertThat(events.get(50).get("action").asText()).isEqualTo("a19999");
    assertThat(out.get("eventsRemoved").asInt()).isEqualTo(19_950);
  }

  @Test
  void fit_textThatIsNotJson_isCutAtTheLimitWithTheMarker() {
    MessageTrimmer.Result r = MessageTrimmer.fit("ü".repeat(200_000), 100_000);
    assertThat(r.trimmed()).isTrue();
    assertThat(r.bytes()).isLessThanOrEqualTo(100_000);
    assertThat(r.message()).endsWith(MessageTrimmer.CUT_MARKER);
  }

  @Test
  void fit_alwaysFitsAndKeepsThePartitionFields_forRandomShapesAndLimits() {
    Random random = new Random(20261128);
    for (int i = 0; i < 20; i++) {
      int events = random.nextInt(601);
      int descriptionLength = random.nextInt(2001);
      int limit = 2048 + random.nextInt(262_144 - 2048 + 1);
      String json = Json.write(message(events, descriptionLength));
      MessageTrimmer.Result r = MessageTrimmer.fit(json, limit);
      assertThat(MessageTrimmer.utf8Length(r.message()))
          .as("events=%d length=%d limit=%d", events, descriptionLength, limit)
          .isEqualTo(MessageTrimmer.bytes(r))
          .isLessThanOrEqualTo(limit);
      assertThat(LogLayout.partitionPrefixOf(Json.tree(r.message()))).isPresent();
    }
  }
}

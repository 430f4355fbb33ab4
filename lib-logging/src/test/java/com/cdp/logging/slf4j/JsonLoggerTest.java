package com.cdp.logging.slf4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;

class JsonLoggerTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final BasicMDCAdapter mdc = new BasicMDCAdapter();
  private final Logger logger =
      new JsonLoggerFactory(Level.INFO, new PrintStream(bytes, true, StandardCharsets.UTF_8), mdc)
          .getLogger("com.cdp.Test");

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void info_writesOneJsonLineWithLevelLoggerAndFormattedMessage() {
    logger.info("loaded {} rows from {}", 25, "file.csv");
    String out = output();
    assertThat(out.lines()).hasSize(1);
    JsonNode line = Json.tree(out);
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("logger").asText()).isEqualTo("com.cdp.Test");
    assertThat(line.get("message").asText()).isEqualTo("loaded 25 rows from file.csv");
    assertThat(line.has("timestamp")).isTrue();
  }

  @Test
  void debug_belowTheLevel_writesNothing() {
    logger.debug("hidden");
    assertThat(output()).isEmpty();
  }

  @Test
  void errorWithException_keepsTheTraceInsideOneLine_andMasksSecrets() {
    logger.error(
        "call failed with token={}", "s3cr3tvalue", new IllegalStateException("password=hunter22"));
    String out = output();
    assertThat(out.lines()).hasSize(1);
    assertThat(out).doesNotContain("s3cr3tvalue").doesNotContain("hunter22");
    JsonNode line = Json.tree(out);
    assertThat(line.get("error").asText()).startsWith("java.lang.IllegalStateException");
    assertThat(line.get("stackTrace").asText()).contains("\tat ");
  }

  @Test
  void mdcEntries_areAddedAsFields() {
    mdc.put("requestId", "r-1");
    logger.warn("slow");
    assertThat(Json.tree(output()).get("requestId").asText()).isEqualTo("r-1");
  }
}

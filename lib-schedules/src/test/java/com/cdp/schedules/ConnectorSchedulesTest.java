package com.cdp.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.ValidationException;
import com.cdp.model.connector.ConnectorCallRequest;
import com.cdp.model.connector.ConnectorEventCall;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** config/schedules.json: the schedules and event calls of the Connector Hub. */
class ConnectorSchedulesTest {

  private static final String FILE =
      """
      {"schedules":[
        {"name":"tcu-sync","expression":"rate(15 minutes)","organizationId":"tcu",
         "connector":"cdp-transfer","version":"1","method":"syncTransfers","params":{"a":1}},
        {"name":"local-only","expression":"cron(* * * * ? *)","timezone":"America/Chicago",
         "organizationId":"demo","connector":"ping","version":"1","method":"ping",
         "environments":["local"]}],
       "eventCalls":[
        {"name":"on-balance","pattern":{"detail-type":["account_balanceupdated"]},
         "connector":"core","version":"2","method":"refresh","params":{"fixed":true},
         "detailParams":{"account":"accountId","member":"memberId"}}]}
      """;

  @Test
  void schedules_parseAndFilterByEnvironment() {
    ConnectorSchedules all = ConnectorSchedules.parse(FILE, "test");
    assertThat(all.schedules()).hasSize(2);
    assertThat(all.forEnvironment("dev").schedules())
        .extracting(ConnectorSchedule::name)
        .containsExactly("tcu-sync");
    assertThat(all.forEnvironment("local").schedules()).hasSize(2);
    ConnectorSchedule local = all.schedule("local-only").orElseThrow();
    assertThat(local.timezone().getId()).isEqualTo("America/Chicago");
    assertThat(local.request().params().isEmpty()).isTrue();
  }

  @Test
  void schedules_refuseUnknownFields_soATypoCannotDropASchedule() {
    String typo = FILE.replace("\"expression\":\"rate", "\"expresion\":\"rate");
    assertThatThrownBy(() -> ConnectorSchedules.parse(typo, "config/schedules.json"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("config/schedules.json: schedule tcu-sync")
        .hasMessageContaining("unknown field 'expresion'");
  }

  @Test
  void schedules_refuseDuplicateNamesAndBadExpressions() {
    String duplicate = FILE.replace("\"local-only\"", "\"tcu-sync\"");
    assertThatThrownBy(() -> ConnectorSchedules.parse(duplicate, "f"))
        .hasMessageContaining("used twice");
    String bad = FILE.replace("rate(15 minutes)", "rate(15 minute)");
    assertThatThrownBy(() -> ConnectorSchedules.parse(bad, "f"))
        .hasMessageContaining("schedule tcu-sync")
        .hasMessageContaining("plural");
  }

  @Test
  void eventCall_inputTemplate_substitutedAsEventBridgeDoes_equalsTheLocalPayload() {
    ConnectorEventCall call = ConnectorSchedules.parse(FILE, "f").eventCalls().get(0);
    JsonNode event =
        Json.tree(
            """
            {"detail-type":"account_balanceupdated","source":"cdp.platform",
             "detail":{"organizationId":"tcu","eventId":"e-1","accountId":"A1","memberId":"M1",
                       "balance":"1.00","transactionId":"3b7e2a10-5c4d-4e8f-9a1b-2c3d4e5f6a7b"}}""");
    String template = call.inputTemplate();
    Map<String, String> paths = call.inputPaths();
    Matcher m = Pattern.compile("<([A-Za-z0-9_]+)>").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String path = paths.get(m.group(1));
      assertThat(path).startsWith("$.detail.");
      JsonNode value = event.path("detail").path(path.substring("$.detail.".length()));
      m.appendReplacement(out, Matcher.quoteReplacement(Json.write(value)));
    }
    m.appendTail(out);
    JsonNode substituted = Json.tree(out.toString());
    assertThat(substituted).isEqualTo(call.payloadFor(event));
    ConnectorCallRequest request = ConnectorCallRequest.fromJson(substituted);
    assertThat(request.transactionId()).isEqualTo("3b7e2a10-5c4d-4e8f-9a1b-2c3d4e5f6a7b");
    assertThat(request.params().path("account").asText()).isEqualTo("A1");
    assertThat(request.params().path("fixed").asBoolean()).isTrue();
  }
}

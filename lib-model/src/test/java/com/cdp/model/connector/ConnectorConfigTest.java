package com.cdp.model.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.ValidationException;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectorConfigTest {

  @Test
  void request_parsesTheContractPayload() {
    ConnectorCallRequest r =
        ConnectorCallRequest.parse(
            """
            {"organizationId":"tcu","connector":"cdp-transfer","version":"1",
             "method":"syncTransfers","params":{"since":"2026-11-27"}}""");
    assertThat(r.organizationId().value()).isEqualTo("tcu");
    assertThat(r.path()).isEqualTo("cdp-transfer/1/syncTransfers");
    assertThat(r.params().path("since").asText()).isEqualTo("2026-11-27");
    assertThat(r.transactionId()).isNull();
    assertThat(ConnectorCallRequest.fromJson(r.toJson())).isEqualTo(r);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing org | {\"connector\":\"c\",\"version\":\"1\",\"method\":\"m\"} | missing_organization_id",
        "bad org | {\"organizationId\":\"T C U\",\"connector\":\"c\",\"version\":\"1\",\"method\":\"m\"} | invalid_organization_id",
        "path in connector | {\"organizationId\":\"tcu\",\"connector\":\"../x\",\"version\":\"1\",\"method\":\"m\"} | invalid_connector",
        "slash in method | {\"organizationId\":\"tcu\",\"connector\":\"c\",\"version\":\"1\",\"method\":\"a/b\"} | invalid_method",
        "numeric version | {\"organizationId\":\"tcu\",\"connector\":\"c\",\"version\":1,\"method\":\"m\"} | invalid_version",
        "params array | {\"organizationId\":\"tcu\",\"connector\":\"c\",\"version\":\"1\",\"method\":\"m\",\"params\":[1]} | invalid_params",
        "not an object | [1,2] | invalid_payload",
      })
  void request_refusesMalformedPayloads_withTheField(String name, String json, String code) {
    assertThatThrownBy(() -> ConnectorCallRequest.parse(json))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void request_whenNotJson_saysMalformedJson() {
    assertThatThrownBy(() -> ConnectorCallRequest.parse("{not json"))
        .isInstanceOf(Json.MalformedJsonException.class)
        .hasMessageStartingWith("malformed JSON");
  }

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

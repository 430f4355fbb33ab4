package com.cdp.model.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.ValidationException;
import com.cdp.model.json.Json;
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
}

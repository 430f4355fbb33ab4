package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLayoutTest {
  @Test
  void partitionPrefix_followsTheContractByteForByte() {
    assertThat(LogLayout.partitionPrefix(List.of("dev", "tcu", "web", "2026", "03", "07", "09")))
        .isEqualTo(
            "logs/environment=dev/organizationID=tcu/logType=web/year=2026/month=03/day=07/hour=09/");
  }

  @Test
  void firehosePrefix_extractsEachFieldFromTheQuery() {
    assertThat(LogLayout.firehosePrefix())
        .isEqualTo(
            "logs/environment=!{partitionKeyFromQuery:environment}/organizationID=!{partitionKeyFromQuery:organizationID}"
                + "/logType=!{partitionKeyFromQuery:logType}/year=!{partitionKeyFromQuery:year}"
                + "/month=!{partitionKeyFromQuery:month}/day=!{partitionKeyFromQuery:day}"
                + "/hour=!{partitionKeyFromQuery:hour}/");
    assertThat(LogLayout.jqMetadataQuery())
        .isEqualTo(
            "{environment:.environment,organizationID:.organizationID,logType:.logType,year:.year,"
                + "month:.month,day:.day,hour:.hour}");
  }

  @Test
  void partitionPrefixOf_aMessageMissingAFieldOrWithASlash_isEmpty() {
    String complete =
        "{\"environment\":\"local\",\"organizationID\":\"tcu\",\"logType\":\"app\",\"year\":\"2026\","
            + "\"month\":\"11\",\"day\":\"28\",\"hour\":\"00\"}";
    assertThat(LogLayout.partitionPrefixOf(Json.tree(complete))).isPresent();
    assertThat(LogLayout.partitionPrefixOf(Json.tree(complete.replace(",\"hour\":\"00\"", ""))))
        .isEmpty();
    assertThat(LogLayout.missingField(Json.tree(complete.replace(",\"hour\":\"00\"", ""))))
        .contains("hour");
    assertThat(LogLayout.partitionPrefixOf(Json.tree(complete.replace("tcu", "a/b")))).isEmpty();
  }
}

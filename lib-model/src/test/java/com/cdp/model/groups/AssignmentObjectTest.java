package com.cdp.model.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.ValidationException;
import com.cdp.model.config.EnvReader;
import com.cdp.model.id.OrganizationId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AssignmentObjectTest {
  private static AssignmentObject object(String version, String eTag, String sequencer) {
    return new AssignmentObject(
        OrganizationId.of("tcu"),
        "tcu-data-delivery",
        "group-assignments/june.csv",
        Optional.ofNullable(version),
        Optional.ofNullable(eTag),
        Optional.ofNullable(sequencer));
  }

  @Test
  void runId_isTheSameForARedeliveryAndDiffersForAnotherVersion() {
    assertThat(object("v1", "e", "s1").runId()).isEqualTo(object("v1", "e", "s2").runId());
    assertThat(object("v1", "e", "s1").runId()).isNotEqualTo(object("v2", "e", "s1").runId());
    assertThat(object("v1", "e", "s1").runId()).matches("ga-[0-9a-f]{32}");
  }

  @Test
  void runId_withoutAVersion_usesTheETagAndTheSequencer() {
    assertThat(object(null, "e1", "s1").runId()).isEqualTo(object(null, "\"e1\"", "s1").runId());
    assertThat(object(null, "e1", "s1").runId()).isNotEqualTo(object(null, "e1", "s2").runId());
  }

  @Test
  void environment_roundTripsThroughTheContainerOverrides() {
    AssignmentObject original = object("v1", "\"abc\"", "0055");
    AssignmentObject back =
        AssignmentObject.fromEnvironment(new EnvReader(original.toEnvironment()));
    assertThat(back).isEqualTo(original);
    assertThat(back.eTag()).contains("abc");
  }

  @Test
  void transactionId_isOneUuidPerObjectVersion_carriedInTheContainerOverrides() {
    AssignmentObject a = object("v1", "e", "s1");
    assertThat(a.transactionId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        .isEqualTo(object("v1", "e", "s2").transactionId())
        .isNotEqualTo(object("v2", "e", "s1").transactionId());
    assertThat(a.toEnvironment())
        .containsEntry(AssignmentObject.ENV_TRANSACTION_ID, a.transactionId());
  }

  @Test
  void constructor_whenNeitherVersionNorETag_refuses() {
    assertThatThrownBy(() -> object(null, " ", null)).hasMessageContaining("version id or an ETag");
  }

  @Test
  void tileGroupName_refusesEmptyOverlongPaddedOrControlCharacters() {
    assertThat(TileGroupName.of("Young Adults").value()).isEqualTo("Young Adults");
    for (String bad : new String[] {"", " Savers", "Savers ", "a".repeat(65), "tab\there"}) {
      assertThatThrownBy(() -> TileGroupName.of(bad)).isInstanceOf(ValidationException.class);
    }
  }

  @Test
  void enrollment_parsesCaseInsensitively() {
    assertThat(Enrollment.parse(" Partial ")).isEqualTo(Enrollment.PARTIAL);
    assertThatThrownBy(() -> Enrollment.parse("half")).isInstanceOf(ValidationException.class);
  }
}

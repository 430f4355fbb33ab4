package com.cdp.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.id.AccountId;
import com.cdp.model.id.EnvironmentName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.id.TransactionId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

  @ParameterizedTest
  @ValueSource(strings = {"tcu", "ab", "credit-union-42", "abcdefghijklmnopqrstuvwxyz012345"})
  void organizationId_acceptsContractValues(String value) {
    assertThat(OrganizationId.of(value).value()).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "TCU", "t_cu", "t cu", "abcdefghijklmnopqrstuvwxyz0123456", "tcu/x"})
  void organizationId_rejectsOtherValuesWithCode(String value) {
    assertThatThrownBy(() -> OrganizationId.of(value))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.code()).isEqualTo("invalid_organization_id"))
        .hasMessageContaining("2-32 lowercase letters");
  }

  @Test
  void ids_whenMissing_sayWhichIdIsMissing() {
    assertThatThrownBy(() -> MemberId.of(null)).hasMessage("member id is required");
    assertThatThrownBy(() -> AccountId.of("")).hasMessage("account id is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"m#1", "m 1", "m.1", "\u00e9"})
  void memberAndAccountIds_rejectCharactersOutsideTheContract(String value) {
    assertThatThrownBy(() -> MemberId.of(value)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> AccountId.of(value)).isInstanceOf(ValidationException.class);
  }

  @Test
  void memberId_rejects65Characters_accepts64() {
    assertThat(MemberId.of("m".repeat(64)).value()).hasSize(64);
    assertThatThrownBy(() -> MemberId.of("m".repeat(65))).hasMessageContaining("1-64 characters");
  }

  @Test
  void transactionId_allowsPrintableUpTo128_butNotControlOrOuterSpace() {
    assertThat(TransactionId.of("T#1 / 2026").value()).isEqualTo("T#1 / 2026");
    assertThat(TransactionId.of("x".repeat(128)).value()).hasSize(128);
    assertThatThrownBy(() -> TransactionId.of("x".repeat(129)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> TransactionId.of(" t1")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> TransactionId.of("t\n1")).isInstanceOf(ValidationException.class);
  }

  @Test
  void errorMessages_neverEchoMoreThanAShortPreview() {
    String huge = "X".repeat(10_000);
    assertThatThrownBy(() -> MemberId.of(huge)).message().hasSizeLessThan(200);
  }

  @Test
  void environmentName_acceptsContractEnvironmentsAndLocal() {
    assertThat(EnvironmentName.of("prodadp").value()).isEqualTo("prodadp");
    assertThat(EnvironmentName.LOCAL.value()).isEqualTo("local");
    assertThatThrownBy(() -> EnvironmentName.of("staging"))
        .hasMessageContaining("environment must be one of");
  }
}

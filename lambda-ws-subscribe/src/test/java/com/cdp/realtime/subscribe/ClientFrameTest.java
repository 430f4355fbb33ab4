package com.cdp.realtime.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.ValidationException;
import com.cdp.model.event.Topic;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientFrameTest {
  @Test
  void parse_subscribe_listsTheTopicsOnceInOrder() {
    ClientFrame frame =
        ClientFrame.parse(
            "{\"action\":\"subscribe\",\"topics\":[\"account_transactionadded\","
                + "\"account_balanceupdated\",\"account_transactionadded\"]}");

    assertThat(frame)
        .isEqualTo(
            new ClientFrame.Subscribe(
                List.of(Topic.ACCOUNT_TRANSACTION_ADDED, Topic.ACCOUNT_BALANCE_UPDATED)));
  }

  @Test
  void parse_unsubscribeAndPing() {
    assertThat(
            ClientFrame.parse(
                "{\"action\":\"unsubscribe\",\"topics\":[\"account_nicknameupdated\"]}"))
        .isEqualTo(new ClientFrame.Unsubscribe(List.of(Topic.ACCOUNT_NICKNAME_UPDATED)));
    assertThat(ClientFrame.parse("{\"action\":\"ping\"}")).isEqualTo(new ClientFrame.Ping());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[1,2]",
        "\"subscribe\"",
        "{}",
        "{\"action\":7}",
        "{\"action\":\"subscribe\"}",
        "{\"action\":\"subscribe\",\"topics\":[]}",
        "{\"action\":\"subscribe\",\"topics\":\"account_balanceupdated\"}",
        "{\"action\":\"subscribe\",\"topics\":[1]}",
        "{\"action\":\"subscribe\",\"topics\":[\"account_balanceupdated\"]",
      })
  void parse_whenTheFrameIsMalformed_refusesWithMalformedFrame(String body) {
    assertThatThrownBy(() -> ClientFrame.parse(body))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo("malformed_frame"));
  }

  @Test
  void parse_whenTheFrameIsLargerThan32KB_refusesWithMalformedFrame() {
    String big = "{\"action\":\"ping\",\"pad\":\"" + "x".repeat(33 * 1024) + "\"}";

    assertThatThrownBy(() -> ClientFrame.parse(big))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo("malformed_frame"));
  }

  @Test
  void parse_whenAnyTopicIsUnknown_refusesTheWholeFrameNamingIt() {
    assertThatThrownBy(
            () ->
                ClientFrame.parse(
                    "{\"action\":\"subscribe\",\"topics\":[\"account_balanceupdated\","
                        + "\"platform_account_transactionadded\",\"nope\"]}"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.code()).isEqualTo("unknown_topic");
              assertThat(e.getMessage())
                  .contains("'platform_account_transactionadded'", "'nope'")
                  .contains("account_transactionadded");
            });
  }

  @Test
  void parse_whenTheActionIsUnknown_refusesWithUnknownAction() {
    assertThatThrownBy(() -> ClientFrame.parse("{\"action\":\"publish\",\"topics\":[\"x\"]}"))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo("unknown_action"));
  }

  @Test
  void parse_resume_carriesTheSeqToResumeAfter() {
    assertThat(ClientFrame.parse("{\"action\":\"resume\",\"since\":42}"))
        .isEqualTo(new ClientFrame.Resume(42));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"action\":\"resume\"}",
        "{\"action\":\"resume\",\"since\":-1}",
        "{\"action\":\"resume\",\"since\":1.5}",
        "{\"action\":\"resume\",\"since\":\"12\"}",
        "{\"action\":\"resume\",\"since\":99999999999999999999999}"
      })
  void parse_resumeWithoutANonNegativeIntegerSince_isMalformed(String frame) {
    assertThatThrownBy(() -> ClientFrame.parse(frame))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("since");
  }
}

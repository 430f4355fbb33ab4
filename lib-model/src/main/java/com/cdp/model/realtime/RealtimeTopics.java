package com.cdp.model.realtime;

import com.cdp.model.ValidationException;
import com.cdp.model.event.Topic;
import java.util.Arrays;
import java.util.List;

/** The topics an end user may subscribe to: the {@code account_*} topics relayed over WebSocket. */
public final class RealtimeTopics {
  /** Every topic a session can subscribe to, in a stable order. */
  public static final List<Topic> SUBSCRIBABLE =
      Arrays.stream(Topic.values()).filter(Topic::relayedToEndUsers).toList();

  private RealtimeTopics() {}

  /**
   * The subscribable topic with this name, or a {@code unknown_topic} error naming the valid ones.
   */
  public static Topic parse(String name) {
    return Topic.fromDetailType(name)
        .filter(Topic::relayedToEndUsers)
        .orElseThrow(() -> unknown(List.of(name == null ? "null" : name)));
  }

  /** The {@code unknown_topic} error for these names (shown shortened and printable only). */
  public static ValidationException unknown(List<String> names) {
    return new ValidationException(
        "unknown_topic",
        "unknown topic "
            + names.stream().limit(5).map(RealtimeTopics::preview).toList()
            + "; topics are "
            + SUBSCRIBABLE.stream().map(Topic::detailType).toList());
  }

  private static String preview(String name) {
    String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
    return "'" + shown.replaceAll("[^\\x20-\\x7E]", "?") + "'";
  }
}

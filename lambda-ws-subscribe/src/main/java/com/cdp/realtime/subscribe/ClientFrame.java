package com.cdp.realtime.subscribe;

import com.cdp.model.ValidationException;
import com.cdp.model.event.Topic;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.RealtimeTopics;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A client's text frame: {@code {"action":"subscribe"|"unsubscribe","topics":[...]}}, {@code
 * {"action":"resume","since":N}} or {@code {"action":"ping"}}. Anything else is refused with a
 * stable error code ({@code malformed_frame}, {@code unknown_action}, {@code unknown_topic}).
 */
public sealed interface ClientFrame {
  /** Frames larger than API Gateway's 32 KB frame limit are refused before parsing. */
  int MAX_FRAME_CHARS = 32 * 1024;

  /** At most this many topics in one frame (there are only a few topics). */
  int MAX_TOPICS = 20;

  record Subscribe(List<Topic> topics) implements ClientFrame {
    public Subscribe {
      topics = List.copyOf(topics);
    }
  }

  record Unsubscribe(List<Topic> topics) implements ClientFrame {
    public Unsubscribe {
      topics = List.copyOf(topics);
    }
  }

  record Ping() implements ClientFrame {}

  /** {@code {"action":"resume","since":N}}: replay the kept events after N, then live ones. */
  record Resume(long since) implements ClientFrame {}

  /** Parses a frame; problems raise {@link ValidationException} with the error frame's code. */
  static ClientFrame parse(String body) {
    if (body == null || body.isBlank()) {
      throw malformed("the frame is empty; send JSON such as {\"action\":\"ping\"}");
    }
    if (body.length() > MAX_FRAME_CHARS) {
      throw malformed("the frame is larger than " + MAX_FRAME_CHARS + " characters");
    }
    JsonNode node;
    try {
      node = Json.tree(body);
    } catch (IllegalArgumentException e) {
      throw malformed("the frame is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw malformed("the frame must be a JSON object");
    }
    JsonNode action = node.get("action");
    if (action == null || !action.isTextual()) {
      throw malformed("the frame needs an \"action\": subscribe, unsubscribe or ping");
    }
    return switch (action.asText()) {
      case "ping" -> new Ping();
      case "subscribe" -> new Subscribe(topics(node));
      case "unsubscribe" -> new Unsubscribe(topics(node));
      case "resume" -> new Resume(since(node));
      default ->
          throw new ValidationException(
              "unknown_action",
              "unknown action; actions are subscribe, unsubscribe, resume and ping");
    };
  }

  private static List<Topic> topics(JsonNode frame) {
    JsonNode topics = frame.get("topics");
    if (topics == null || !topics.isArray() || topics.isEmpty()) {
      throw malformed("\"topics\" must be a non-empty array of topic names");
    }
    if (topics.size() > MAX_TOPICS) {
      throw malformed("at most " + MAX_TOPICS + " topics per frame");
    }
    Set<Topic> parsed = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (JsonNode t : topics) {
      if (!t.isTextual()) {
        throw malformed("\"topics\" must hold topic names (strings)");
      }
      try {
        parsed.add(RealtimeTopics.parse(t.asText()));
      } catch (ValidationException e) {
        unknown.add(t.asText());
      }
    }
    if (!unknown.isEmpty()) {
      // All or nothing: a frame naming an unknown topic changes no subscription.
      throw RealtimeTopics.unknown(unknown);
    }
    return List.copyOf(parsed);
  }

  private static long since(JsonNode frame) {
    JsonNode since = frame.get("since");
    if (since == null
        || !since.isIntegralNumber()
        || !since.canConvertToLong()
        || since.asLong() < 0) {
      throw malformed("\"since\" must be a non-negative integer: the last seq received");
    }
    return since.asLong();
  }

  private static ValidationException malformed(String message) {
    return new ValidationException("malformed_frame", message);
  }
}

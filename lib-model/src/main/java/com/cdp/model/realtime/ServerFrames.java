package com.cdp.model.realtime;

import com.cdp.model.event.Topic;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/** The JSON text frames the server sends to WebSocket clients (CONTRACTS section 3). */
public final class ServerFrames {
  /** API Gateway refuses to post a message larger than this to a connection. */
  public static final int MAX_MESSAGE_BYTES = 128 * 1024;

  private ServerFrames() {}

  public static String subscribed(Collection<Topic> topics) {
    return topics("subscribed", topics);
  }

  /**
   * The subscribe answer with the connection's starting point: it gets the events after {@code
   * since} (a client that has seen none yet resumes from there after a reconnect).
   */
  public static String subscribed(Collection<Topic> topics, long since) {
    ObjectNode frame = (ObjectNode) Json.tree(topics("subscribed", topics));
    frame.put("since", since);
    return Json.write(frame);
  }

  public static String unsubscribed(Collection<Topic> topics) {
    return topics("unsubscribed", topics);
  }

  /** The answer to a resume frame: the replay after {@code since} has been asked for. */
  public static String resumed(long since) {
    return "{\"type\":\"resumed\",\"since\":" + since + "}";
  }

  public static String pong() {
    return "{\"type\":\"pong\"}";
  }

  /** An error frame with a stable code and a sentence; never echoes a secret. */
  public static String error(String code, String message) {
    ObjectNode frame = Json.object();
    frame.put("type", "error");
    frame.put("code", code);
    frame.put("message", message);
    return Json.write(frame);
  }

  /** An event frame: {@code {"type":"event","topic","eventId","time","data"}}. */
  public static String event(Topic topic, String eventId, String time, JsonNode data) {
    return event(topic, eventId, time, data, false);
  }

  /**
   * An event frame; {@code truncated} marks a compact notification (only the ids of an event too
   * large for one message), after which the client fetches the details through the APIs.
   */
  public static String event(
      Topic topic, String eventId, String time, JsonNode data, boolean truncated) {
    ObjectNode frame = Json.object();
    frame.put("type", "event");
    frame.put("topic", topic.detailType());
    frame.put("eventId", eventId);
    if (time != null) {
      frame.put("time", time);
    }
    frame.set("data", data);
    if (truncated) {
      frame.put("truncated", true);
    }
    return Json.write(frame);
  }

  /**
   * An event frame at its position in the member's stream: {@code
   * {"type":"event","topic","eventId","seq","transactionId","time","data"}} ({@code transactionId}
   * only when the event's detail carries one); {@code truncated} marks a compact notification.
   */
  public static String event(
      Topic topic,
      String eventId,
      long seq,
      String transactionId,
      String time,
      JsonNode data,
      boolean truncated) {
    ObjectNode frame = Json.object();
    frame.put("type", "event");
    frame.put("topic", topic.detailType());
    frame.put("eventId", eventId);
    frame.put("seq", seq);
    if (transactionId != null) {
      frame.put("transactionId", transactionId);
    }
    if (time != null) {
      frame.put("time", time);
    }
    frame.set("data", data);
    if (truncated) {
      frame.put("truncated", true);
    }
    return Json.write(frame);
  }

  /**
   * Sent before a replay that cannot start right after {@code since}: the events from {@code since
   * + 1} to {@code oldest - 1} are no longer kept (older than the replay window), so the app should
   * refetch its state.
   */
  public static String continuityLost(long since, long oldest) {
    ObjectNode frame = Json.object();
    frame.put("type", "continuity_lost");
    frame.put("since", since);
    frame.put("oldest", oldest);
    return Json.write(frame);
  }

  /** Sent to a connection just before the server closes it, saying why. */
  public static String closing(String code, String message) {
    ObjectNode frame = Json.object();
    frame.put("type", "closing");
    frame.put("code", code);
    frame.put("message", message);
    return Json.write(frame);
  }

  private static String topics(String type, Collection<Topic> topics) {
    ObjectNode frame = Json.object();
    frame.put("type", type);
    ArrayNode list = frame.putArray("topics");
    topics.forEach(t -> list.add(t.detailType()));
    return Json.write(frame);
  }
}

package com.cdp.logging;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Makes a message fit a size limit (SNS: 256 KiB) without losing it: long strings are cut with a
 * {@value #CUT_MARKER} suffix, then events from the middle of the timeline are replaced by one
 * {@code trimmed} event saying how many were removed, and as a last resort only the partition
 * fields, time, transactionId and server are kept. A trimmed message carries {@code "trimmed":
 * true} and {@code "originalBytes"}. Text that is not a JSON object is cut at the limit with the
 * marker (it lands under {@code logs-errors/} anyway).
 */
public final class MessageTrimmer {
  /** The largest SNS message (and the largest PublishBatch request): 256 KiB. */
  public static final int SNS_MAX_BYTES = 262_144;

  /** Appended to every string that was cut. */
  public static final String CUT_MARKER = "…[trimmed]";

  private static final int[] STRING_CAPS = {4096, 1024, 256};
  private static final int[] KEEP_EVENTS_AT_ENDS = {25, 5, 1};

  /**
   * The message to send, whether it was trimmed, and its UTF-8 size before and after ({@code -1}
   * when a short message was not counted; use {@link #bytes(Result)}).
   */
  public record Result(String message, boolean trimmed, int originalBytes, int bytes) {}

  /** The UTF-8 size of the result's message, counting it if it was not counted. */
  public static int bytes(Result result) {
    return result.bytes() >= 0 ? result.bytes() : utf8Length(result.message());
  }

  private MessageTrimmer() {}

  /** The message unchanged when it fits in {@code maxBytes} (UTF-8), else a trimmed version. */
  public static Result fit(String message, int maxBytes) {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxBytes must be at least 1024");
    }
    if ((long) message.length() * 3 <= maxBytes) {
      // Fits whatever the characters (at most 3 UTF-8 bytes per UTF-16 unit): no need to count.
      return new Result(message, false, -1, -1);
    }
    int size = utf8Length(message);
    if (size <= maxBytes) {
      return new Result(message, false, size, size);
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(message);
    } catch (Exception notJson) {
      root = null;
    }
    if (!(root instanceof ObjectNode object)) {
      String cut = cutText(message, maxBytes - utf8Length(CUT_MARKER)) + CUT_MARKER;
      return new Result(cut, true, size, utf8Length(cut));
    }
    object.put("trimmed", true);
    object.put("originalBytes", size);
    for (int cap : STRING_CAPS) {
      capStrings(object, cap, 0);
      String json = Json.write(object);
      if (utf8Length(json) <= maxBytes) {
        return new Result(json, true, size, utf8Length(json));
      }
    }
    for (int keep : KEEP_EVENTS_AT_ENDS) {
      if (dropMiddleEvents(object, keep)) {
        String json = Json.write(object);
        if (utf8Length(json) <= maxBytes) {
          return new Result(json, true, size, utf8Length(json));
        }
      }
    }
    ObjectNode minimal = Json.object();
    for (String keep : LogLayout.PARTITION_FIELDS) {
      copyCapped(object, minimal, keep);
    }
    for (String keep : new String[] {"time", "transactionId", "server", "success", "durationMs"}) {
      copyCapped(object, minimal, keep);
    }
    minimal.put("trimmed", true);
    minimal.put("originalBytes", size);
    minimal
        .putArray("events")
        .add(marker(object, "all events and fields removed to fit the limit"));
    String json = Json.write(minimal);
    return new Result(json, true, size, utf8Length(json));
  }

  /** The UTF-8 length of a string without encoding it. */
  public static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2;
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  private static void capStrings(JsonNode node, int cap, int depth) {
    if (depth > 50) {
      return;
    }
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().isTextual() && !LogLayout.PARTITION_FIELDS.contains(field.getKey())) {
          String text = field.getValue().asText();
          if (text.length() > cap) {
            field.setValue(TextNode.valueOf(text.substring(0, cap) + CUT_MARKER));
          }
        } else {
          capStrings(field.getValue(), cap, depth + 1);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode item = array.get(i);
        if (item.isTextual() && item.asText().length() > cap) {
          array.set(i, TextNode.valueOf(item.asText().substring(0, cap) + CUT_MARKER));
        } else {
          capStrings(item, cap, depth + 1);
        }
      }
    }
  }

  /** Replaces the middle of the event timeline by one marker event; false when nothing changed. */
  private static boolean dropMiddleEvents(ObjectNode message, int keep) {
    JsonNode events = message.get("events");
    if (!(events instanceof ArrayNode array) || array.size() <= 2 * keep + 1) {
      return false;
    }
    // An earlier marker sits in the middle and is replaced too: count only real events.
    JsonNode previous = message.get("eventsRemoved");
    int removed =
        array.size()
            - 2 * keep
            - (previous == null ? 0 : 1)
            + (previous == null ? 0 : previous.asInt());
    message.put("eventsRemoved", removed);
    ArrayNode kept = Json.mapper().createArrayNode();
    for (int i = 0; i < keep; i++) {
      kept.add(array.get(i));
    }
    kept.add(marker(message, removed + " events removed from the middle to fit the limit"));
    for (int i = array.size() - keep; i < array.size(); i++) {
      kept.add(array.get(i));
    }
    message.set("events", kept);
    return true;
  }

  private static ObjectNode marker(ObjectNode message, String description) {
    ObjectNode marker = Json.object();
    marker.put("action", "trimmed");
    marker.put("description", description);
    marker.put("success", true);
    if (message.hasNonNull("time")) {
      marker.put("time", message.get("time").asText());
    }
    if (message.hasNonNull("transactionId")) {
      marker.put("transactionId", message.get("transactionId").asText());
    }
    if (message.hasNonNull("server")) {
      marker.put("server", message.get("server").asText());
    }
    marker.put("type", EventType.INFO.id());
    return marker;
  }

  private static void copyCapped(ObjectNode from, ObjectNode to, String field) {
    JsonNode value = from.get(field);
    if (value == null || !value.isValueNode()) {
      return;
    }
    if (value.isTextual() && value.asText().length() > 256) {
      to.put(field, value.asText().substring(0, 256) + CUT_MARKER);
    } else {
      to.set(field, value);
    }
  }

  private static String cutText(String text, int maxBytes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int end = Math.min(bytes.length, Math.max(0, maxBytes));
    while (end > 0 && end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}

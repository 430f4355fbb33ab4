package com.cdp.realtime.relay;

import com.cdp.model.ValidationException;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.ServerFrames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An {@code account_*} EventBridge event as the relay needs it: topic, the member it is about, its
 * de-duplication id, time, and the detail to forward.
 */
record RelayEvent(
    Topic topic,
    String source,
    OrganizationId organization,
    MemberId member,
    String eventId,
    String transactionId,
    String time,
    ObjectNode detail) {
  private static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");
  private static final Pattern SOURCE = Pattern.compile("[\\x21-\\x7E]{1,256}");

  /** The flow id the publisher put in the detail, when it is one we can pass on safely. */
  private static final Pattern TRANSACTION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** Parses the full EventBridge event JSON; a bad event raises {@link ValidationException}. */
  static RelayEvent parse(String eventJson) {
    JsonNode event;
    try {
      event = Json.tree(eventJson);
    } catch (Json.MalformedJsonException e) {
      throw new ValidationException("malformed_event", "the event is not JSON");
    }
    String detailType = event.path("detail-type").asText(null);
    Topic topic =
        Topic.fromDetailType(detailType)
            .filter(Topic::relayedToEndUsers)
            .orElseThrow(
                () ->
                    new ValidationException(
                        "not_relayed", "detail-type " + detailType + " is not relayed to users"));
    JsonNode detail = event.get("detail");
    if (detail == null || !detail.isObject()) {
      throw new ValidationException("invalid_detail", "the event has no detail object");
    }
    String eventId = detail.path("eventId").asText("");
    if (!EVENT_ID.matcher(eventId).matches()) {
      throw new ValidationException(
          "invalid_event_id", "detail.eventId must be 1-128 printable characters");
    }
    String source = event.path("source").asText("");
    if (!SOURCE.matcher(source).matches()) {
      throw new ValidationException("invalid_source", "the event has no source");
    }
    String transactionId = detail.path("transactionId").asText(null);
    if (transactionId != null && !TRANSACTION_ID.matcher(transactionId).matches()) {
      transactionId = null;
    }
    return new RelayEvent(
        topic,
        source,
        OrganizationId.of(detail.path("organizationId").asText(null)),
        MemberId.of(detail.path("memberId").asText(null)),
        eventId,
        transactionId,
        event.path("time").asText(null),
        (ObjectNode) detail);
  }

  /** The frame of this event at position {@code seq}, compact when it would exceed 128 KB. */
  String frame(long seq) {
    String frame = ServerFrames.event(topic, eventId, seq, transactionId, time, detail, false);
    if (frame.length() * 3L > ServerFrames.MAX_MESSAGE_BYTES
        && frame.getBytes(StandardCharsets.UTF_8).length > ServerFrames.MAX_MESSAGE_BYTES) {
      frame = ServerFrames.event(topic, eventId, seq, transactionId, time, compactDetail(), true);
    }
    return frame;
  }

  /**
   * The detail cut down to its identifiers (text fields named {@code ...Id}) and counts, for an
   * event too large to send whole; the client fetches the rest through the APIs.
   */
  ObjectNode compactDetail() {
    ObjectNode compact = Json.object();
    Iterator<Map.Entry<String, JsonNode>> fields = detail.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      boolean id =
          f.getKey().endsWith("Id")
              && f.getValue().isTextual()
              && f.getValue().asText().length() <= 128;
      boolean count = f.getKey().equals("count") && f.getValue().isNumber();
      if (id || count) {
        compact.set(f.getKey(), f.getValue());
      }
    }
    return compact;
  }
}

package com.cdp.realtime.subscribe;

import com.cdp.http.ApiError;
import com.cdp.http.SignedCursors;
import com.cdp.logging.RequestLog;
import com.cdp.model.ValidationException;
import com.cdp.model.event.Topic;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.RealtimeTopics;
import com.cdp.model.session.Session;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.RealtimeStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * REST catch-up, {@code GET /realtime/events?since=SEQ[&topic=...][&limit=...][&cursor=...]}: the
 * kept events of the session's member after a position, of the session's subscribed topics or of
 * the topics asked for, oldest first, paged with signed cursors ({@link SignedCursors}) bound to
 * the member and the filters. It reads only the session's own stream: nothing in the query chooses
 * the organization or member.
 */
final class CatchUpService {
  static final int DEFAULT_LIMIT = 25;
  static final int MAX_LIMIT = 100;

  /** How long a page's cursor can be used (as the links list's). */
  static final java.time.Duration CURSOR_TTL = java.time.Duration.ofHours(1);

  /** Kept events read per query while filling a page (a stream holds all of a member's topics). */
  static final int BATCH = 100;

  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

  /** One page: the frames, the next page's cursor, and the stream's continuity at its start. */
  record Page(
      List<JsonNode> events, Optional<String> nextCursor, long oldest, boolean continuityLost) {
    public Page {
      events = List.copyOf(events);
      Objects.requireNonNull(nextCursor, "nextCursor");
    }

    /** The response body: {@code {"events":[...],"nextCursor":...|null,"oldest":N,...}}. */
    ObjectNode body() {
      ObjectNode body = Json.object();
      ArrayNode list = body.putArray("events");
      events.forEach(list::add);
      if (nextCursor.isPresent()) {
        body.put("nextCursor", nextCursor.get());
      } else {
        body.putNull("nextCursor");
      }
      body.put("oldest", oldest);
      body.put("continuityLost", continuityLost);
      return body;
    }
  }

  private final RealtimeStore store;
  private final MemberStreams streams;
  private final SignedCursors cursors;

  CatchUpService(RealtimeStore store, MemberStreams streams, SignedCursors cursors) {
    this.store = Objects.requireNonNull(store, "store");
    this.streams = Objects.requireNonNull(streams, "streams");
    this.cursors = Objects.requireNonNull(cursors, "cursors");
  }

  /** A page of the member's kept events, recorded in the request log; its response body. */
  ObjectNode events(Session session, Map<String, String> query, RequestLog log) {
    Page page = events(session, query);
    log.event(
        "catchUp",
        "catch-up page served",
        Map.of(
            "events", page.events().size(),
            "more", page.nextCursor().isPresent(),
            "oldest", page.oldest(),
            "continuityLost", page.continuityLost()));
    return page.body();
  }

  /**
   * A page of the member's kept events. {@code query} is the request's query string parameters (API
   * Gateway joins a repeated parameter's values with commas).
   */
  Page events(Session session, Map<String, String> query) {
    Map<String, String> q = query == null ? Map.of() : query;
    int limit = limit(q.get("limit"));
    Optional<Set<Topic>> asked = topics(q.get("topic"));
    String filter = asked.map(CatchUpService::filterKey).orElse("*");
    Optional<Long> since = Optional.ofNullable(q.get("since")).map(CatchUpService::since);
    String binding = binding(session);

    long after;
    long firstSince;
    Set<Topic> topics;
    String cursor = q.get("cursor");
    if (cursor != null) {
      ObjectNode payload;
      try {
        payload = cursors.verify(cursor);
      } catch (ValidationException e) {
        throw new ApiError(400, e.code(), e.getMessage());
      }
      firstSince = payload.path("s").asLong(-1);
      if (!payload.path("b").asText().equals(binding)
          || !payload.path("f").asText().equals(filter)
          || (since.isPresent() && since.get() != firstSince)) {
        throw new ApiError(
            400,
            "cursor_mismatch",
            "the cursor was issued for another member or other since/topic filters; pass the"
                + " same filters, or start again without a cursor");
      }
      after = payload.path("a").asLong();
      // Without topic parameters the first page fixed the session's topics: keep paging them.
      topics = topicSet(payload.path("t"));
    } else {
      if (since.isEmpty()) {
        throw new ApiError(
            400,
            "invalid_since",
            "since is required: the last seq received (0 for everything still kept)");
      }
      firstSince = since.get();
      after = firstSince;
      topics = asked.orElseGet(() -> sessionTopics(session));
    }

    long oldest = oldest(session);
    List<JsonNode> page = new ArrayList<>();
    boolean more = false;
    long position = after;
    if (!topics.isEmpty()) {
      fill:
      while (true) {
        List<MemberStreams.Kept> batch =
            streams.after(session.organization(), session.member(), position, BATCH);
        for (MemberStreams.Kept kept : batch) {
          position = kept.seq();
          if (!topics.contains(kept.topic())) {
            continue;
          }
          if (page.size() == limit) {
            // One more match exists beyond this page: the page is full and not the last.
            more = true;
            break fill;
          }
          page.add(Json.tree(kept.frame()));
        }
        if (batch.size() < BATCH) {
          break;
        }
      }
    }
    Optional<String> next = Optional.empty();
    if (more) {
      ObjectNode payload = Json.object();
      payload.put("b", binding);
      payload.put("f", filter);
      payload.put("s", firstSince);
      payload.put("a", page.get(page.size() - 1).path("seq").asLong());
      ArrayNode t = payload.putArray("t");
      topics.stream().map(Topic::detailType).sorted().forEach(t::add);
      next = Optional.of(cursors.sign(payload));
    }
    return new Page(page, next, oldest, oldest > after + 1);
  }

  /**
   * The position of the oldest event still kept in the member's stream (any topic); with nothing
   * kept, the position the next event will take. Every event at or after it is still kept.
   */
  private long oldest(Session session) {
    List<MemberStreams.Kept> first = streams.after(session.organization(), session.member(), 0, 1);
    return first.isEmpty()
        ? streams.last(session.organization(), session.member()) + 1
        : first.get(0).seq();
  }

  private Set<Topic> sessionTopics(Session session) {
    Set<Topic> topics = EnumSet.noneOf(Topic.class);
    topics.addAll(store.subscriptions(session));
    return topics;
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    if (!NUMBER.matcher(value).matches()
        || Long.parseLong(value) < 1
        || Long.parseLong(value) > MAX_LIMIT) {
      throw new ApiError(400, "invalid_limit", "limit must be an integer 1-" + MAX_LIMIT);
    }
    return Integer.parseInt(value);
  }

  private static long since(String value) {
    if (!NUMBER.matcher(value).matches()) {
      throw new ApiError(
          400, "invalid_since", "since must be a non-negative integer: the last seq received");
    }
    return Long.parseLong(value);
  }

  /** The {@code topic} parameters, or empty when none was given (the session's topics apply). */
  private static Optional<Set<Topic>> topics(String value) {
    if (value == null) {
      return Optional.empty();
    }
    Set<Topic> topics = EnumSet.noneOf(Topic.class);
    List<String> unknown = new ArrayList<>();
    for (String name : value.split(",", -1)) {
      try {
        topics.add(RealtimeTopics.parse(name.strip()));
      } catch (ValidationException e) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      ValidationException e = RealtimeTopics.unknown(unknown);
      throw new ApiError(400, e.code(), e.getMessage());
    }
    return Optional.of(topics);
  }

  private static Set<Topic> topicSet(JsonNode names) {
    Set<Topic> topics = EnumSet.noneOf(Topic.class);
    names.forEach(n -> Topic.fromDetailType(n.asText()).ifPresent(topics::add));
    return topics;
  }

  private static String filterKey(Set<Topic> topics) {
    Set<String> names = new TreeSet<>();
    topics.forEach(t -> names.add(t.detailType()));
    return String.join(",", names);
  }

  /** Binds a cursor to the member (organization and member), without spelling them out. */
  private static String binding(Session session) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("cdp-realtime-catch-up\n"
                          + session.organization().value()
                          + "\n"
                          + session.member().value())
                      .getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(java.util.Arrays.copyOf(digest, 12));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

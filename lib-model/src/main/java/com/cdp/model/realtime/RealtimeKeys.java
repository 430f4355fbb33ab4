package com.cdp.model.realtime;

import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;

/**
 * Key formats of the realtime table ({@link com.cdp.model.table.Tables#REALTIME}).
 *
 * <pre>
 * pk                   sk               what
 * CONN#{connectionId}  META             a connection: org, member, session, connect time (for $default/$disconnect)
 * SESSION#{sessionId}  CONN#{connId}    the session's connections (the relay reads these)
 * SESSION#{sessionId}  SUB#{topic}      a subscription; gsi1pk = ORG#{org}#MEMBER#{member}#TOPIC#{topic},
 *                                       gsi1sk = SESSION#{sessionId}
 * EVENT#{org}#{source}#{eventId}  EVENT  de-duplication claim of a relayed event
 * STREAM#{org}#{member} HEAD            the member's stream: pump position and lease
 * STREAM#{org}#{member} SEQ#{seq:020}   a kept event (the frame sent), TTL = the replay window
 * STREAM#{org}#{member} PENDING#{connId} a connection waiting for its replay (since)
 * STREAM#{org}#{member} KEPT#{source}#{eventId} the event is (being) kept in this stream (from), TTL = window
 * </pre>
 *
 * The relay finds whom to notify with one GSI1 query (the sessions of the member subscribed to the
 * topic) and one query per such session (its connections); never a scan.
 */
public final class RealtimeKeys {
  public static final String CONNECTION_PREFIX = "CONN#";
  public static final String SESSION_PREFIX = "SESSION#";
  public static final String SUBSCRIPTION_PREFIX = "SUB#";
  public static final String EVENT_PREFIX = "EVENT#";

  /** Partition-key prefix of the member streams (kept events, head, replay requests). */
  public static final String STREAM_PREFIX = "STREAM#";

  public static final String SEQ_PREFIX = "SEQ#";
  public static final String PENDING_PREFIX = "PENDING#";
  public static final String HEAD = "HEAD";
  public static final String KEPT_PREFIX = "KEPT#";
  public static final String META = "META";
  public static final String EVENT_SK = "EVENT";

  private RealtimeKeys() {}

  public static String connection(String connectionId) {
    return CONNECTION_PREFIX + connectionId;
  }

  public static String session(String sessionId) {
    return SESSION_PREFIX + sessionId;
  }

  public static String sessionConnection(String connectionId) {
    return CONNECTION_PREFIX + connectionId;
  }

  public static String subscription(Topic topic) {
    return SUBSCRIPTION_PREFIX + topic.detailType();
  }

  /** GSI1 partition key of subscriptions: who (organization, member) wants which topic. */
  public static String memberTopic(OrganizationId organization, MemberId member, Topic topic) {
    return "ORG#"
        + organization.value()
        + "#MEMBER#"
        + member.value()
        + "#TOPIC#"
        + topic.detailType();
  }

  /**
   * The de-duplication claim of an event: scoped to the organization and the source, so one
   * organization's (or connector's) event id never silences another's.
   */
  public static String event(OrganizationId organization, String source, String eventId) {
    return EVENT_PREFIX + organization.value() + "#" + source + "#" + eventId;
  }

  /** Partition of a member's event stream (kept events, pump head, pending replays). */
  public static String stream(OrganizationId organization, MemberId member) {
    return STREAM_PREFIX + organization.value() + "#" + member.value();
  }

  /** Sort key of the kept event at this position: zero-padded so keys sort as numbers. */
  public static String seq(long seq) {
    return String.format("%s%020d", SEQ_PREFIX, seq);
  }

  /** The marker of an event kept (or being kept) in a member's stream: kept once per stream. */
  public static String kept(String source, String eventId) {
    return KEPT_PREFIX + source + "#" + eventId;
  }

  public static String pending(String connectionId) {
    return PENDING_PREFIX + connectionId;
  }
}

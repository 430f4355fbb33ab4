package com.cdp.access;

import com.cdp.model.ValidationException;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.session.Session;
import com.cdp.model.session.SessionToken;
import com.cdp.model.session.SessionVerification;
import com.cdp.model.table.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Creates and verifies end-user sessions. Stores only the SHA-256 of each token. Expiry is enforced
 * here at read time; the table's TTL only cleans up, and late.
 *
 * <p>Item: {@code pk} (the token's hash), {@code organizationId}, {@code memberId}, {@code
 * createdAt} and {@code expiresAt} (epoch milliseconds, N), {@code ttl} (epoch seconds, N), and
 * {@code createdBy} for sessions made outside the app's login (the command line). Plain attribute
 * maps, not the enhanced client: the latency-sensitive functions that verify sessions start faster
 * without it.
 */
public final class SessionService {
  public static final Duration MIN_TTL = Duration.ofMinutes(1);
  public static final Duration MAX_TTL = Duration.ofDays(7);

  /**
   * TTL removal is delayed past expiry so a just-expired token reads as "expired", not "unknown".
   */
  static final Duration TTL_GRACE = Duration.ofDays(1);

  private final DynamoDbClient dynamoDb;
  private final String tableName;
  private final Clock clock;

  public SessionService(DynamoDbClient dynamoDb, String tableName, Clock clock) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A new session and the token that proves it; the token is shown once and never stored. */
  public record Created(String token, Session session) {
    @Override
    public String toString() {
      return "Created[token=" + SessionToken.redact(token) + ", session=" + session + "]";
    }
  }

  public Created create(OrganizationId organization, MemberId member, Duration ttl) {
    return create(organization, member, ttl, null);
  }

  /**
   * A new session marked with who made it outside the app's login ({@code createdBy}, e.g. {@code
   * cli}), so operators can tell test sessions from members' own; {@code null} for none.
   */
  public Created create(
      OrganizationId organization, MemberId member, Duration ttl, String createdBy) {
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(member, "member");
    if (ttl == null || ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new ValidationException(
          "invalid_ttl",
          "session ttl must be between " + MIN_TTL + " and " + MAX_TTL + " (got " + ttl + ")");
    }
    String token = SessionToken.generate();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Session session =
        new Session(SessionToken.hash(token), organization, member, now, now.plus(ttl));
    Map<String, AttributeValue> item = new java.util.HashMap<>();
    item.putAll(
        Map.of(
            Tables.PK,
            AttributeValue.fromS(session.id()),
            "organizationId",
            AttributeValue.fromS(organization.value()),
            "memberId",
            AttributeValue.fromS(member.value()),
            "createdAt",
            number(now.toEpochMilli()),
            "expiresAt",
            number(session.expiresAt().toEpochMilli()),
            Tables.TTL,
            number(session.expiresAt().plus(TTL_GRACE).getEpochSecond())));
    if (createdBy != null) {
      item.put("createdBy", AttributeValue.fromS(createdBy));
    }
    // A 256-bit id never collides; the condition makes sure we never overwrite one if it did.
    dynamoDb.putItem(
        r -> r.tableName(tableName).item(item).conditionExpression("attribute_not_exists(pk)"));
    return new Created(token, session);
  }

  public SessionVerification verify(String token) {
    if (token == null || token.isEmpty()) {
      return new SessionVerification.Refused(SessionVerification.Reason.MISSING);
    }
    if (!SessionToken.isWellFormed(token)) {
      return new SessionVerification.Refused(SessionVerification.Reason.MALFORMED);
    }
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(tableName)
                        .key(Map.of(Tables.PK, AttributeValue.fromS(SessionToken.hash(token))))
                        .consistentRead(true))
            .item();
    if (item == null || item.isEmpty()) {
      return new SessionVerification.Refused(SessionVerification.Reason.UNKNOWN);
    }
    Session session =
        new Session(
            item.get(Tables.PK).s(),
            OrganizationId.of(item.get("organizationId").s()),
            MemberId.of(item.get("memberId").s()),
            Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
            Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n())));
    if (session.isExpiredAt(clock.instant())) {
      return new SessionVerification.Refused(SessionVerification.Reason.EXPIRED);
    }
    return new SessionVerification.Valid(session);
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}

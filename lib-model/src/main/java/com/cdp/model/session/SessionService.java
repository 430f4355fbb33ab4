package com.cdp.model.session;

import com.cdp.model.ValidationException;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Creates and verifies end-user sessions. Stores only the SHA-256 of each token. Expiry is enforced
 * here at read time; the table's TTL only cleans up, and late.
 */
public final class SessionService {
  public static final Duration MIN_TTL = Duration.ofMinutes(1);
  public static final Duration MAX_TTL = Duration.ofDays(7);

  /**
   * TTL removal is delayed past expiry so a just-expired token reads as "expired", not "unknown".
   */
  static final Duration TTL_GRACE = Duration.ofDays(1);

  private final DynamoDbTable<SessionItem> table;
  private final Clock clock;

  public SessionService(DynamoDbClient dynamoDb, String tableName, Clock clock) {
    this.table =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(Objects.requireNonNull(dynamoDb, "dynamoDb"))
            .build()
            .table(Objects.requireNonNull(tableName, "tableName"), SessionItem.SCHEMA);
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
    SessionItem item = new SessionItem();
    item.setId(session.id());
    item.setOrganizationId(organization.value());
    item.setMemberId(member.value());
    item.setCreatedAt(now.toEpochMilli());
    item.setExpiresAt(session.expiresAt().toEpochMilli());
    item.setTtl(session.expiresAt().plus(TTL_GRACE).getEpochSecond());
    // A 256-bit id never collides; the condition makes sure we never overwrite one if it did.
    table.putItem(
        PutItemEnhancedRequest.builder(SessionItem.class)
            .item(item)
            .conditionExpression(
                Expression.builder().expression("attribute_not_exists(pk)").build())
            .build());
    return new Created(token, session);
  }

  public SessionVerification verify(String token) {
    if (token == null || token.isEmpty()) {
      return new SessionVerification.Refused(SessionVerification.Reason.MISSING);
    }
    if (!SessionToken.isWellFormed(token)) {
      return new SessionVerification.Refused(SessionVerification.Reason.MALFORMED);
    }
    SessionItem item =
        table.getItem(
            r ->
                r.key(Key.builder().partitionValue(SessionToken.hash(token)).build())
                    .consistentRead(true));
    if (item == null) {
      return new SessionVerification.Refused(SessionVerification.Reason.UNKNOWN);
    }
    Session session =
        new Session(
            item.getId(),
            OrganizationId.of(item.getOrganizationId()),
            MemberId.of(item.getMemberId()),
            Instant.ofEpochMilli(item.getCreatedAt()),
            Instant.ofEpochMilli(item.getExpiresAt()));
    if (session.isExpiredAt(clock.instant())) {
      return new SessionVerification.Refused(SessionVerification.Reason.EXPIRED);
    }
    return new SessionVerification.Valid(session);
  }
}

package com.cdp.links;

import com.cdp.model.ValidationException;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * API keys for the services allowed to create links. A key is {@code cdpk_<id>_<secret>}: the id
 * (12 base62 characters) finds the record, the secret (32 base62 characters, ~190 bits) proves it.
 * Only HMAC-SHA256(pepper, id:secret) is stored (the pepper is a secret outside the table), so a
 * leaked table reveals no usable key. Records live in the links table under {@code pk = APIKEY},
 * {@code sk = <id>}; revoking stamps {@code revokedAt} (kept for audit), effective at once.
 */
public final class ApiKeys {
  static final String PK = "APIKEY";
  private static final Pattern KEY = Pattern.compile("cdpk_([0-9A-Za-z]{12})_([0-9A-Za-z]{32})");
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z]{12}");
  private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  /**
   * The organizations a key may create and manage links for: a list, or all of them (stated
   * explicitly when the key is issued). A key stored before scopes existed has {@link #NONE} until
   * an operator gives it one ({@code ./cdp api-keys scope}), so it fails closed.
   */
  public record Scope(boolean allOrganizations, Set<OrganizationId> organizations) {
    public static final Scope ALL = new Scope(true, Set.of());
    public static final Scope NONE = new Scope(false, Set.of());

    public Scope {
      organizations = Set.copyOf(organizations);
      if (allOrganizations && !organizations.isEmpty()) {
        throw new ValidationException(
            "invalid_scope", "a key is scoped to all organizations or to a list, not both");
      }
    }

    public static Scope of(Collection<OrganizationId> organizations) {
      if (organizations.isEmpty()) {
        throw new ValidationException(
            "invalid_scope", "name at least one organization, or all organizations explicitly");
      }
      return new Scope(false, Set.copyOf(organizations));
    }

    /** Whether links of this scope may be created or managed (bare-domain links: all only). */
    public boolean allows(LinkScope link) {
      return allOrganizations || link.organization().map(organizations::contains).orElse(false);
    }

    @Override
    public String toString() {
      if (allOrganizations) {
        return "all organizations";
      }
      if (organizations.isEmpty()) {
        return "none";
      }
      return organizations.stream().map(OrganizationId::value).sorted().toList().toString();
    }
  }

  /** One issued key's record (never its secret or hash). */
  public record ApiKey(
      String id, String service, Instant createdAt, Optional<Instant> revokedAt, Scope scope) {
    public boolean isRevoked() {
      return revokedAt.isPresent();
    }
  }

  /** A newly issued key: {@link #key()} is shown once and never stored. */
  public record Issued(ApiKey record, String key) {
    @Override
    public String toString() {
      return "Issued[" + record + ", key=cdpk_" + record.id() + "_****]";
    }
  }

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final SecretKeySpec pepper;
  private final CodeSource ids = CodeSource.secureRandom(12);
  private final CodeSource secrets = CodeSource.secureRandom(32);
  private final Clock clock;

  public ApiKeys(DynamoDbClient dynamoDb, String table, String pepper, Clock clock) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(table, "table");
    Objects.requireNonNull(pepper, "pepper");
    if (pepper.length() < 16) {
      throw new IllegalArgumentException("the API-key pepper must be at least 16 characters");
    }
    this.pepper = new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Issues a key for a calling service (1-64 lowercase letters, digits or '-'). */
  public Issued issue(String service, Scope scope) {
    Objects.requireNonNull(scope, "scope");
    if (!scope.allOrganizations() && scope.organizations().isEmpty()) {
      throw new ValidationException(
          "invalid_scope", "name at least one organization, or all organizations explicitly");
    }
    if (service == null || !SERVICE.matcher(service).matches()) {
      throw new ValidationException(
          "invalid_service", "service must be 1-64 lowercase letters, digits or '-'");
    }
    Instant now = clock.instant();
    for (int attempt = 0; attempt < 3; attempt++) {
      String id = ids.next();
      String secret = secrets.next();
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(Tables.PK, AttributeValue.fromS(PK));
      item.put(Tables.SK, AttributeValue.fromS(id));
      item.put("service", AttributeValue.fromS(service));
      item.put("hash", AttributeValue.fromS(hash(id, secret)));
      item.put("createdAt", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
      item.putAll(scopeAttributes(scope));
      try {
        dynamoDb.putItem(
            r ->
                r.tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#sk)")
                    .expressionAttributeNames(Map.of("#sk", Tables.SK)));
        return new Issued(
            new ApiKey(
                id, service, Instant.ofEpochMilli(now.toEpochMilli()), Optional.empty(), scope),
            "cdpk_" + id + "_" + secret);
      } catch (ConditionalCheckFailedException collision) {
        // a 71-bit id collided: draw another
      }
    }
    throw new IllegalStateException("could not issue an API key (id collisions)");
  }

  /** The key's record when the presented key is well formed, known, matches and is not revoked. */
  public Optional<ApiKey> verify(String presented) {
    if (presented == null) {
      return Optional.empty();
    }
    Matcher m = KEY.matcher(presented.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    String id = m.group(1);
    GetItemResponse response =
        dynamoDb.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true));
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = response.item();
    byte[] expected = item.get("hash").s().getBytes(StandardCharsets.US_ASCII);
    byte[] actual = hash(id, m.group(2)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, actual)) {
      return Optional.empty();
    }
    ApiKey key = toRecord(item);
    return key.isRevoked() ? Optional.empty() : Optional.of(key);
  }

  /** Revokes a key by id; false when there is no such key. Revoking twice keeps the first time. */
  public boolean revoke(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return false;
    }
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(id))
                  .updateExpression("SET revokedAt = if_not_exists(revokedAt, :now)")
                  .conditionExpression("attribute_exists(#sk)")
                  .expressionAttributeNames(Map.of("#sk", Tables.SK))
                  .expressionAttributeValues(
                      Map.of(
                          ":now",
                          AttributeValue.fromN(Long.toString(clock.instant().toEpochMilli())))));
      return true;
    } catch (ConditionalCheckFailedException unknown) {
      return false;
    }
  }

  /**
   * Sets the organizations a key may act for (how keys issued before scopes existed get one); false
   * when there is no such key.
   */
  public boolean setScope(String id, Scope scope) {
    if (id == null || !ID.matcher(id).matches()) {
      return false;
    }
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":all", AttributeValue.fromBool(scope.allOrganizations()));
    String update = "SET allOrganizations = :all";
    if (scope.organizations().isEmpty()) {
      update += " REMOVE organizations";
    } else {
      update += ", organizations = :orgs";
      values.put(":orgs", scopeAttributes(scope).get("organizations"));
    }
    String expression = update;
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(id))
                  .updateExpression(expression)
                  .conditionExpression("attribute_exists(#sk)")
                  .expressionAttributeNames(Map.of("#sk", Tables.SK))
                  .expressionAttributeValues(values));
      return true;
    } catch (ConditionalCheckFailedException unknown) {
      return false;
    }
  }

  private static Map<String, AttributeValue> scopeAttributes(Scope scope) {
    Map<String, AttributeValue> attributes = new HashMap<>();
    attributes.put("allOrganizations", AttributeValue.fromBool(scope.allOrganizations()));
    if (!scope.organizations().isEmpty()) {
      attributes.put(
          "organizations",
          AttributeValue.fromSs(
              scope.organizations().stream().map(OrganizationId::value).sorted().toList()));
    }
    return attributes;
  }

  private static Scope scopeOf(Map<String, AttributeValue> item) {
    if (item.containsKey("allOrganizations")
        && Boolean.TRUE.equals(item.get("allOrganizations").bool())) {
      return Scope.ALL;
    }
    if (!item.containsKey("organizations")) {
      return Scope.NONE;
    }
    return new Scope(
        false,
        item.get("organizations").ss().stream()
            .map(OrganizationId::of)
            .collect(java.util.stream.Collectors.toSet()));
  }

  /** Every issued key, revoked ones included, oldest id order. */
  public List<ApiKey> list() {
    List<ApiKey> keys = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder q =
          QueryRequest.builder()
              .tableName(table)
              .keyConditionExpression("#pk = :pk")
              .expressionAttributeNames(Map.of("#pk", Tables.PK))
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PK)));
      if (start != null) {
        q.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(q.build());
      page.items().forEach(item -> keys.add(toRecord(item)));
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return keys;
  }

  private static Map<String, AttributeValue> key(String id) {
    return Map.of(Tables.PK, AttributeValue.fromS(PK), Tables.SK, AttributeValue.fromS(id));
  }

  private static ApiKey toRecord(Map<String, AttributeValue> item) {
    return new ApiKey(
        item.get(Tables.SK).s(),
        item.get("service").s(),
        Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
        item.containsKey("revokedAt")
            ? Optional.of(Instant.ofEpochMilli(Long.parseLong(item.get("revokedAt").n())))
            : Optional.empty(),
        scopeOf(item));
  }

  private String hash(String id, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(pepper);
      byte[] digest = mac.doFinal((id + ":" + secret).getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}

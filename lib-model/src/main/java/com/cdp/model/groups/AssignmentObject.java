package com.cdp.model.groups;

import com.cdp.model.config.EnvReader;
import com.cdp.model.id.OrganizationId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One uploaded group-assignment file, pinned to the exact object the notification was about: its
 * version when the bucket is versioned (every data-delivery bucket in AWS is), otherwise its ETag
 * plus the notification's sequencer (so a re-upload of identical content is a new run while a
 * re-delivered notification is not).
 *
 * <p>The trigger passes it to the Fargate task as container environment variables ({@link
 * #toEnvironment()}); the task reads it back with {@link #fromEnvironment(EnvReader)}.
 */
public record AssignmentObject(
    OrganizationId organization,
    String bucket,
    String key,
    Optional<String> versionId,
    Optional<String> eTag,
    Optional<String> sequencer) {

  public static final String ENV_ORGANIZATION = "ASSIGNMENT_ORGANIZATION";
  public static final String ENV_BUCKET = "ASSIGNMENT_BUCKET";
  public static final String ENV_KEY = "ASSIGNMENT_KEY";
  public static final String ENV_VERSION_ID = "ASSIGNMENT_VERSION_ID";
  public static final String ENV_ETAG = "ASSIGNMENT_ETAG";
  public static final String ENV_SEQUENCER = "ASSIGNMENT_SEQUENCER";

  /** The container override that carries the flow's transactionId to the task. */
  public static final String ENV_TRANSACTION_ID = "TRANSACTION_ID";

  public AssignmentObject {
    Objects.requireNonNull(organization, "organization");
    requireText(bucket, "bucket");
    requireText(key, "key");
    versionId = clean(versionId);
    eTag = clean(eTag).map(AssignmentObject::unquote);
    sequencer = clean(sequencer);
    if (versionId.isEmpty() && eTag.isEmpty()) {
      throw new IllegalArgumentException(
          "an assignment object needs a version id or an ETag to pin it: " + key);
    }
  }

  /**
   * A stable identifier of this object version: the same notification delivered twice gives the
   * same id; a new upload gives a new one. 35 characters, usable as an ECS client token.
   */
  public String runId() {
    String identity =
        bucket
            + "\n"
            + key
            + "\n"
            + versionId
                .map(v -> "v:" + v)
                .orElseGet(() -> "e:" + eTag.orElseThrow() + "\n" + sequencer.orElse(""));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return "ga-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /**
   * The transactionId of this file's flow, the same in the trigger and the task (a name-based UUID
   * of bucket, key and run id, as lib-logging's {@code TransactionIds.derive(bucket, key, runId)}).
   */
  public String transactionId() {
    return java.util
        .UUID
        .nameUUIDFromBytes(
            ("cdp-transaction\n" + bucket + "\n" + key + "\n" + runId())
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** The container environment variables that name this object for the task. */
  public Map<String, String> toEnvironment() {
    return toEnvironment(transactionId());
  }

  /**
   * As {@link #toEnvironment()}, carrying {@code flowTransactionId} (the upload's own, when it gave
   * one) as {@link #ENV_TRANSACTION_ID}.
   */
  public Map<String, String> toEnvironment(String flowTransactionId) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENV_ORGANIZATION, organization.value());
    env.put(ENV_BUCKET, bucket);
    env.put(ENV_KEY, key);
    versionId.ifPresent(v -> env.put(ENV_VERSION_ID, v));
    eTag.ifPresent(e -> env.put(ENV_ETAG, e));
    sequencer.ifPresent(s -> env.put(ENV_SEQUENCER, s));
    env.put(ENV_TRANSACTION_ID, Objects.requireNonNull(flowTransactionId, "transactionId"));
    return env;
  }

  /** Reads what {@link #toEnvironment()} wrote; errors name the missing variable. */
  public static AssignmentObject fromEnvironment(EnvReader env) {
    return new AssignmentObject(
        OrganizationId.of(env.required(ENV_ORGANIZATION)),
        env.required(ENV_BUCKET),
        env.required(ENV_KEY),
        env.optional(ENV_VERSION_ID),
        env.optional(ENV_ETAG),
        env.optional(ENV_SEQUENCER));
  }

  /** {@code s3://bucket/key} plus the pin, for messages. */
  public String describe() {
    return "s3://"
        + bucket
        + "/"
        + key
        + versionId.map(v -> " (version " + v + ")").orElse(" (ETag " + eTag.orElse("?") + ")");
  }

  private static Optional<String> clean(Optional<String> value) {
    return Objects.requireNonNull(value, "optional value")
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  private static String unquote(String eTag) {
    return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
        ? eTag.substring(1, eTag.length() - 1)
        : eTag;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}

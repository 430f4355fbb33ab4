package com.cdp.logging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The storage layout of platform logs (CONTRACTS section 7), shared by the AWS pipeline (Firehose
 * dynamic partitioning), the local delivery stream and the query engines: {@code
 * logs/environment=ENV/organizationID=ORG/logType=TYPE/year=YYYY/month=MM/day=DD/hour=HH/<object>},
 * failed records under {@code logs-errors/}.
 */
public final class LogLayout {
  /** Where delivered messages go. */
  public static final String PREFIX = "logs/";

  /** Where records that cannot be partitioned go. */
  public static final String ERROR_PREFIX = "logs-errors/";

  /** The error-output type Firehose uses for records whose partition keys cannot be extracted. */
  public static final String PROCESSING_FAILED = "processing-failed";

  /** The seven partition fields, in path order; every message carries them as strings. */
  public static final List<String> PARTITION_FIELDS =
      List.of("environment", "organizationID", "logType", "year", "month", "day", "hour");

  private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private LogLayout() {}

  /** The key prefix (ending in {@code /}) for the partition values, in the order of the fields. */
  public static String partitionPrefix(List<String> values) {
    if (values.size() != PARTITION_FIELDS.size()) {
      throw new IllegalArgumentException("expected 7 partition values, got " + values.size());
    }
    StringBuilder b = new StringBuilder(PREFIX);
    for (int i = 0; i < values.size(); i++) {
      b.append(PARTITION_FIELDS.get(i)).append('=').append(values.get(i)).append('/');
    }
    return b.toString();
  }

  /** The key prefix for named partition values. */
  public static String partitionPrefix(Map<String, String> values) {
    return partitionPrefix(PARTITION_FIELDS.stream().map(values::get).toList());
  }

  /**
   * The key prefix for a parsed message, or empty when a partition field is missing, empty, not a
   * scalar, or holds characters that do not belong in a key ({@code /} for instance).
   */
  public static Optional<String> partitionPrefixOf(JsonNode message) {
    if (message == null || !message.isObject()) {
      return Optional.empty();
    }
    StringBuilder b = new StringBuilder(PREFIX);
    for (String field : PARTITION_FIELDS) {
      JsonNode value = message.get(field);
      if (value == null || !value.isValueNode() || value.isNull()) {
        return Optional.empty();
      }
      String text = value.asText();
      if (!SAFE_VALUE.matcher(text).matches()) {
        return Optional.empty();
      }
      b.append(field).append('=').append(text).append('/');
    }
    return Optional.of(b.toString());
  }

  /** The first partition field a message lacks (or holds an unusable value in), if any. */
  public static Optional<String> missingField(JsonNode message) {
    for (String field : PARTITION_FIELDS) {
      JsonNode value = message == null ? null : message.get(field);
      if (value == null
          || !value.isValueNode()
          || value.isNull()
          || !SAFE_VALUE.matcher(value.asText()).matches()) {
        return Optional.of(field);
      }
    }
    return Optional.empty();
  }

  /** The S3 prefix expression of the Firehose delivery stream (dynamic partitioning). */
  public static String firehosePrefix() {
    StringBuilder b = new StringBuilder(PREFIX);
    for (String field : PARTITION_FIELDS) {
      b.append(field).append("=!{partitionKeyFromQuery:").append(field).append("}/");
    }
    return b.toString();
  }

  /**
   * The Firehose error-output prefix; locally {@code !{firehose:error-output-type}} is {@value
   * #PROCESSING_FAILED}.
   */
  public static String firehoseErrorPrefix() {
    return ERROR_PREFIX
        + "!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}"
        + "/day=!{timestamp:dd}/hour=!{timestamp:HH}/";
  }

  /** The inline JQ query that extracts the seven partition keys. */
  public static String jqMetadataQuery() {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < PARTITION_FIELDS.size(); i++) {
      String field = PARTITION_FIELDS.get(i);
      b.append(i == 0 ? "" : ",").append(field).append(":.").append(field);
    }
    return b.append('}').toString();
  }
}

package com.cdp.local.iam;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An incoming AWS API request as the front door sees it: method, raw path and query, headers (names
 * case-insensitive, values in order) and the whole body.
 */
record AwsRequest(
    String method,
    String scheme,
    String rawPath,
    Optional<String> rawQuery,
    Map<String, List<String>> headers,
    byte[] body) {

  AwsRequest {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}

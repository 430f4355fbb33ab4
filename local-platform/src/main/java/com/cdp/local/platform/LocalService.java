package com.cdp.local.platform;

/**
 * One area of the platform (ingestion, realtime, ...) wired into the local platform: it builds the
 * production handlers with local collaborators and registers their triggers (routes, S3 prefixes,
 * event patterns, schedules) on the platform. It owns no business logic.
 */
public interface LocalService extends AutoCloseable {
  /** Short name shown at start, e.g. {@code ingestion}. */
  String name();

  /** Builds handlers and registers triggers; called before the gateway starts. */
  void start(LocalPlatform platform) throws Exception;

  /**
   * The template functions this area's flow runs (short names, {@code txn-loader}): the platform
   * installs their template triggers (rules, schedules, S3 notifications). A platform started with
   * only some areas runs only their flows, as before the template drove it.
   */
  default java.util.List<String> templateFunctions() {
    return java.util.List.of();
  }

  /** Lines printed under the endpoints at start (e.g. how to try this area). */
  default java.util.List<String> hints(LocalPlatform platform) {
    return java.util.List.of();
  }

  @Override
  default void close() throws Exception {}
}

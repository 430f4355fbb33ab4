package com.cdp.cli.local;

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

  /** Lines printed under the endpoints at start (e.g. how to try this area). */
  default java.util.List<String> hints(LocalPlatform platform) {
    return java.util.List.of();
  }

  @Override
  default void close() throws Exception {}
}

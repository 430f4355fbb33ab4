package com.cdp.aws;

import com.cdp.model.config.EnvReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Priming for Lambda SnapStart: work run during init only when Lambda is initializing a version
 * whose memory it will snapshot ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}). Every
 * environment restored from that snapshot then starts with the request path's classes loaded and
 * initialized (the SDK's signing, HTTP and protocol code, the handler's own parsing and JSON), so
 * the first request after a restore pays for the network, not for class loading. An on-demand init
 * (SnapStart off, or the local platform) skips it: there the work would only lengthen the cold
 * start it runs in.
 *
 * <p>Priming must not write anything and must not fail the init: it reads items that do not exist
 * and builds answers nobody receives; a failure is logged and the snapshot is taken unprimed, which
 * is correct, only slower on its first request.
 */
public final class SnapStartPriming {
  /** Set by Lambda during init; {@code snap-start} when the init will be snapshotted. */
  public static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

  private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

  private SnapStartPriming() {}

  /** Whether this init will be snapshotted. */
  public static boolean snapshotting(EnvReader env) {
    return env.optional(INITIALIZATION_TYPE, "").equals("snap-start");
  }

  /** Runs {@code work} when this init will be snapshotted; never throws. */
  public static void ifSnapshotting(EnvReader env, String function, Runnable work) {
    if (!snapshotting(env)) {
      return;
    }
    long start = System.nanoTime();
    try {
      work.run();
      LOG.info(
          "{}: primed for the snapshot in {} ms",
          function,
          (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      LOG.warn("{}: priming failed, the snapshot is taken unprimed: {}", function, e.toString());
    }
  }
}

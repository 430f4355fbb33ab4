package com.cdp.cli.local;

import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import java.time.Clock;

/** Builds the platform logger the local platform hands to every handler. */
final class LocalLogging {
  private LocalLogging() {}

  static PlatformLogger create(LocalPlatform platform) {
    // TODO(logging): replaced by the local delivery stream writing the contract's layout into the
    // logs bucket.
    return new PlatformLogger(
        new InMemoryLogPublisher(), platform.environment(), "local", Clock.systemUTC());
  }
}

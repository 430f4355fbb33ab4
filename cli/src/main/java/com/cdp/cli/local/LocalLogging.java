package com.cdp.cli.local;

import com.cdp.cli.local.logging.DeliveryStreamPublisher;
import com.cdp.cli.local.logging.LocalDeliveryStream;
import com.cdp.cli.local.logging.LocalLogStore;
import com.cdp.logging.PlatformLogger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the platform logger the local platform hands to every handler: messages go through the
 * local delivery stream (Firehose's partitioning and buffering) into the logs bucket of the S3
 * stand-in, in the contract's layout, where {@code ./cdp logs query} reads them.
 */
final class LocalLogging {
  private static final Logger LOG = LoggerFactory.getLogger(LocalLogging.class);

  private LocalLogging() {}

  static PlatformLogger create(LocalPlatform platform) {
    String bucket = platform.buckets().logs();
    Optional<Path> directory = platform.s3Server().bucketDirectory(bucket);
    if (directory.isPresent()
        && !directory
            .get()
            .toAbsolutePath()
            .equals(LocalLogStore.directory(platform.dataDir()).toAbsolutePath())) {
      LOG.warn(
          "logs are stored in {}, not where './cdp logs' looks ({})",
          directory.get(),
          LocalLogStore.directory(platform.dataDir()));
    }
    LocalDeliveryStream stream =
        LocalDeliveryStream.start(platform.s3(), bucket, LocalDeliveryStream.Settings.local());
    return new PlatformLogger(
        new DeliveryStreamPublisher(stream), platform.environment(), "local", Clock.systemUTC());
  }
}

package com.cdp.local.platform;

import com.cdp.local.platform.logging.DeliveryStreamPublisher;
import com.cdp.local.platform.logging.LocalDeliveryStream;
import com.cdp.local.platform.logging.LocalLogStore;
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
    return create(platform, publisher(platform));
  }

  static PlatformLogger create(LocalPlatform platform, DeliveryStreamPublisher publisher) {
    return new PlatformLogger(publisher, platform.environment(), "local", Clock.systemUTC());
  }

  /**
   * The local delivery stream into the bucket the template's log delivery names (the logs bucket
   * the code knows when the template has none), behind the publisher the in-process areas and the
   * local SNS topic both feed.
   */
  static DeliveryStreamPublisher publisher(LocalPlatform platform) {
    String bucket =
        platform.template() == null || platform.template().logDeliveries().isEmpty()
            ? platform.buckets().logs()
            : platform.template().logDeliveries().get(0).bucketName();
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
        platform.template() == null || platform.template().logDeliveries().isEmpty()
            ? LocalDeliveryStream.start(platform.s3(), bucket, LocalDeliveryStream.Settings.local())
            : LocalDeliveryStream.start(
                platform.s3(),
                bucket,
                settings(platform.template().logDeliveries().get(0)),
                layout(platform.template().logDeliveries().get(0)));
    return new DeliveryStreamPublisher(stream);
  }

  /** The template delivery stream's buffering hints (Firehose delivers at the first reached). */
  static LocalDeliveryStream.Settings settings(
      com.cdp.local.template.LocalTemplate.LogDelivery delivery) {
    return new LocalDeliveryStream.Settings(
        (long) delivery.bufferingMb() << 20,
        java.time.Duration.ofSeconds(delivery.bufferingSeconds()));
  }

  /** The template delivery stream's name, prefix and error output prefix. */
  static LocalDeliveryStream.Layout layout(
      com.cdp.local.template.LocalTemplate.LogDelivery delivery) {
    return new LocalDeliveryStream.Layout(
        delivery.streamName(), delivery.prefix(), delivery.errorOutputPrefix());
  }
}

package com.cdp.local.platform.logging;

import com.cdp.local.platform.LocalPlatform;
import com.cdp.model.config.Buckets;
import java.nio.file.Path;

/**
 * Where the local platform's logs live on disk: the logs bucket ({@code cdp-local-logs}) of the S3
 * stand-in, a directory below the data directory ({@code .cdp-local/s3/cdp-local-logs}). The query
 * engine reads the gzip NDJSON objects there in place, whether or not the platform is running.
 */
public final class LocalLogStore {
  /** The S3 stand-in's base directory below the data directory (as LocalPlatform starts it). */
  public static final String S3_DIRECTORY = "s3";

  private LocalLogStore() {}

  public static String bucket() {
    return Buckets.of(LocalPlatform.ENVIRONMENT).logs();
  }

  /** The logs bucket's directory for a data directory. */
  public static Path directory(Path dataDir) {
    return dataDir.resolve(S3_DIRECTORY).resolve(bucket());
  }
}

package com.cdp.local.standin;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobApiMetadata;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobApiMetadata;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * S3Proxy in this JVM: a real S3 protocol endpoint over an in-memory store (tests) or a directory
 * (the local platform), raising {@link ObjectCreated} for every object written.
 */
public final class LocalS3 implements AutoCloseable {
  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final Optional<Path> baseDir;

  private LocalS3(S3Proxy proxy, BlobStoreContext context, Optional<Path> baseDir) {
    this.proxy = proxy;
    this.context = context;
    this.baseDir = baseDir;
  }

  /**
   * Starts on the port (0 picks a free one). With {@code baseDir} each bucket is a directory below
   * it and objects are files, so data survives restarts and DuckDB can read the logs in place.
   */
  public static LocalS3 start(int port, Optional<Path> baseDir, Consumer<ObjectCreated> listener) {
    Ports.requireFree(port, "S3 stand-in");
    BlobStoreContext context;
    if (baseDir.isPresent()) {
      try {
        Files.createDirectories(baseDir.get());
      } catch (IOException e) {
        throw new StandInException(
            "cannot create the S3 data directory " + baseDir.get() + ": " + e.getMessage(), e);
      }
      Properties properties = new Properties();
      properties.setProperty("jclouds.filesystem.basedir", baseDir.get().toString());
      context =
          ContextBuilder.newBuilder(new FilesystemNio2BlobApiMetadata())
              .credentials("local", "local")
              .overrides(properties)
              .build(BlobStoreContext.class);
    } else {
      context =
          ContextBuilder.newBuilder(new TransientNio2BlobApiMetadata())
              .credentials("local", "local")
              .build(BlobStoreContext.class);
    }
    BlobStore store = new NotifyingBlobStore(context.getBlobStore(), listener);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .ignoreUnknownHeaders(true)
            .build();
    try {
      proxy.start();
      long deadline = System.currentTimeMillis() + 10_000;
      while (!"STARTED".equals(proxy.getState()) && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StandInException("interrupted while starting S3Proxy", e);
    } catch (Exception e) {
      context.close();
      throw new StandInException("cannot start S3Proxy on port " + port + ": " + e.getMessage(), e);
    }
    return new LocalS3(proxy, context, baseDir);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public int port() {
    return proxy.getPort();
  }

  /** The directory holding bucket {@code bucket}'s objects, when the store is on disk. */
  public Optional<Path> bucketDirectory(String bucket) {
    return baseDir.map(d -> d.resolve(bucket));
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      // stopping is best effort; the context is closed regardless
    } finally {
      context.close();
    }
  }
}

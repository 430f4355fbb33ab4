package com.cdp.ingestion.chunker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams an object of unknown size to S3 with bounded memory: one {@code PutObject} when it stays
 * under the part size, a multipart upload (8 MiB parts) otherwise.
 */
final class S3MultipartOutputStream extends OutputStream {
  static final int PART_BYTES = 8 << 20;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final String contentType;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 << 10);
  private final List<CompletedPart> parts = new ArrayList<>();
  private String uploadId;
  private boolean closed;

  S3MultipartOutputStream(S3Client s3, String bucket, String key, String contentType) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.contentType = contentType;
  }

  @Override
  public void write(int b) throws IOException {
    buffer.write(b);
    maybeFlushPart();
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    buffer.write(b, off, len);
    maybeFlushPart();
  }

  private void maybeFlushPart() {
    if (buffer.size() >= PART_BYTES) {
      uploadPart();
    }
  }

  private void uploadPart() {
    if (uploadId == null) {
      uploadId =
          s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType))
              .uploadId();
    }
    int number = parts.size() + 1;
    String eTag =
        s3.uploadPart(
                r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(buffer.toByteArray()))
            .eTag();
    parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
    buffer.reset();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (uploadId == null) {
      s3.putObject(
          r -> r.bucket(bucket).key(key).contentType(contentType),
          RequestBody.fromBytes(buffer.toByteArray()));
      return;
    }
    try {
      if (buffer.size() > 0) {
        uploadPart();
      }
      s3.completeMultipartUpload(
          r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException e) {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
      throw e;
    }
  }
}

package com.cdp.groups.task;

import com.cdp.model.groups.AssignmentObject;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the object version the trigger named (by version id, or by ETag with {@code If-Match} where
 * the bucket is not versioned) and writes reports.
 */
final class S3FileStore implements FileStore {
  private final S3Client s3;

  S3FileStore(S3Client s3) {
    this.s3 = Objects.requireNonNull(s3, "s3");
  }

  @Override
  public InputStream open(AssignmentObject object) {
    GetObjectRequest.Builder request =
        GetObjectRequest.builder().bucket(object.bucket()).key(object.key());
    object
        .versionId()
        .ifPresentOrElse(request::versionId, () -> request.ifMatch(object.eTag().orElseThrow()));
    try {
      return s3.getObject(request.build());
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      throw new InputUnavailableException(object.describe() + " does not exist", e);
    } catch (S3Exception e) {
      String reason =
          switch (e.statusCode()) {
            case 412 -> "was replaced after it was uploaded (its ETag no longer matches)";
            case 403 -> "cannot be read: access denied";
            case 404 -> "does not exist";
            default -> "cannot be read: " + e.awsErrorDetails().errorMessage();
          };
      throw new InputUnavailableException(object.describe() + " " + reason, e);
    } catch (SdkException e) {
      throw new InputUnavailableException(
          object.describe() + " cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public void put(String bucket, String key, Path file, String contentType) {
    s3.putObject(
        r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
  }
}

package com.cdp.local.standin;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

/**
 * Raises an {@link ObjectCreated} after every successful put, copy or multipart completion, as S3
 * raises object-created notifications. The listener must not block: it is called on the request
 * thread after the object is stored.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {
  private final Consumer<ObjectCreated> listener;

  NotifyingBlobStore(BlobStore delegate, Consumer<ObjectCreated> listener) {
    super(delegate);
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public String putBlob(String container, Blob blob) {
    String eTag = super.putBlob(container, blob);
    notifyCreated(container, blob.getMetadata().getName(), eTag);
    return eTag;
  }

  @Override
  public String putBlob(String container, Blob blob, PutOptions options) {
    String eTag = super.putBlob(container, blob, options);
    notifyCreated(container, blob.getMetadata().getName(), eTag);
    return eTag;
  }

  @Override
  public String copyBlob(
      String fromContainer,
      String fromName,
      String toContainer,
      String toName,
      CopyOptions options) {
    String eTag = super.copyBlob(fromContainer, fromName, toContainer, toName, options);
    notifyCreated(toContainer, toName, eTag);
    return eTag;
  }

  @Override
  public String completeMultipartUpload(MultipartUpload mpu, List<MultipartPart> parts) {
    String eTag = super.completeMultipartUpload(mpu, parts);
    notifyCreated(mpu.containerName(), mpu.blobName(), eTag);
    return eTag;
  }

  private void notifyCreated(String container, String name, String eTag) {
    BlobMetadata metadata = delegate().blobMetadata(container, name);
    long size = metadata == null || metadata.getSize() == null ? 0 : metadata.getSize();
    listener.accept(new ObjectCreated(container, name, size, eTag));
  }
}

package com.cdp.ingestion.loader;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** An S3 client that forwards the calls the chunker makes, so a test can step in between. */
class ForwardingS3Client implements S3Client {
  private final S3Client delegate;

  ForwardingS3Client(S3Client delegate) {
    this.delegate = delegate;
  }

  @Override
  public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
    return delegate.putObject(request, body);
  }

  @Override
  public <T> T getObject(
      GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
    return delegate.getObject(request, transformer);
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
    return delegate.getObject(request);
  }

  @Override
  public String serviceName() {
    return delegate.serviceName();
  }

  @Override
  public void close() {}
}

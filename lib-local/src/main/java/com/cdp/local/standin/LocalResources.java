package com.cdp.local.standin;

import com.cdp.model.table.TableDefinition;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** Idempotent creation of tables and buckets on the stand-ins. */
public final class LocalResources {
  private LocalResources() {}

  public static void createTable(
      DynamoDbClient dynamoDb, TableDefinition table, String physicalName) {
    try {
      dynamoDb.describeTable(r -> r.tableName(physicalName));
    } catch (ResourceNotFoundException missing) {
      try {
        dynamoDb.createTable(table.createTableRequest(physicalName));
      } catch (ResourceInUseException raced) {
        // created concurrently: fine
      }
    }
  }

  public static void createBucket(S3Client s3, String bucket) {
    try {
      s3.headBucket(r -> r.bucket(bucket));
    } catch (NoSuchBucketException missing) {
      try {
        s3.createBucket(r -> r.bucket(bucket));
      } catch (BucketAlreadyOwnedByYouException raced) {
        // created concurrently: fine
      }
    }
  }
}

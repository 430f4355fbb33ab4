package com.cdp.testing;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.S3Clients;
import com.cdp.local.standin.Dynalite;
import com.cdp.local.standin.LocalResources;
import com.cdp.local.standin.LocalS3;
import com.cdp.local.standin.ObjectCreated;
import com.cdp.model.table.TableDefinition;
import com.cdp.model.table.Tables;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The stand-ins one test JVM shares: dynalite (in memory) and S3Proxy (in memory), with every
 * platform table created, and clients pointing at them. Tests isolate themselves by using their own
 * organization ids ({@link TestIds}) rather than by restarting servers.
 */
public final class StandIns implements AutoCloseable {
  /** The environment name tables are created under in tests. */
  public static final String ENVIRONMENT = "local";

  private final Dynalite dynalite;
  private final LocalS3 s3;
  private final DynamoDbClient dynamoDbClient;
  private final S3Client s3Client;
  private final List<Consumer<ObjectCreated>> listeners = new CopyOnWriteArrayList<>();

  private StandIns() {
    this.dynalite = Dynalite.start(RepoRoot.find(), 0, Optional.empty());
    try {
      this.s3 =
          LocalS3.start(0, Optional.empty(), event -> listeners.forEach(l -> l.accept(event)));
    } catch (RuntimeException e) {
      dynalite.close();
      throw e;
    }
    this.dynamoDbClient = AwsClients.dynamoDb(dynamoDbTarget());
    this.s3Client = S3Clients.s3(s3Target());
    for (TableDefinition table : Tables.ALL) {
      LocalResources.createTable(dynamoDbClient, table, tableName(table));
    }
  }

  static StandIns start() {
    return new StandIns();
  }

  public AwsTarget dynamoDbTarget() {
    return AwsTarget.local(dynalite.endpoint());
  }

  public AwsTarget s3Target() {
    return AwsTarget.local(s3.endpoint());
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDbClient;
  }

  public S3Client s3() {
    return s3Client;
  }

  public String tableName(TableDefinition table) {
    return table.physicalName(ENVIRONMENT);
  }

  /** Creates the bucket if it does not exist yet. */
  /** How many items the table holds now (a scan: for small test tables only). */
  public int itemCount(TableDefinition table) {
    return itemCount(tableName(table));
  }

  /** How many items the named table holds now (a scan: for small test tables only). */
  public int itemCount(String physicalTableName) {
    return dynamoDbClient.scanPaginator(r -> r.tableName(physicalTableName)).stream()
        .mapToInt(page -> page.count())
        .sum();
  }

  public String bucket(String name) {
    LocalResources.createBucket(s3Client, name);
    return name;
  }

  /** Observes every object written to the S3 stand-in; returns a handle that stops observing. */
  public AutoCloseable onObjectCreated(Consumer<ObjectCreated> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void close() {
    dynamoDbClient.close();
    s3Client.close();
    s3.close();
    dynalite.close();
  }
}

package com.cdp.bench.iam;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.local.iam.FrontDoor;
import com.cdp.local.iam.IamMode;
import com.cdp.local.iam.IamPolicies;
import com.cdp.local.iam.IamReader;
import com.cdp.local.iam.LocalCredentials;
import com.cdp.local.iam.LocalCredentials.Credentials;
import com.cdp.local.template.CloudAssembly;
import com.cdp.local.template.LocalTemplate;
import com.cdp.testing.SharedStandIns;
import com.cdp.testing.StandIns;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The IAM front door's cost on DynamoDB calls, in one run against the same dynalite: the loader's
 * credentials and policies (the synthesized local template), {@code UpdateItem} on the warehouse
 * one call at a time, alternating direct and through the front door (enforce); then 25-item {@code
 * BatchWriteItem} throughput with 8 calls in flight (the loader's write path), direct vs front door
 * in enforce mode vs front door off.
 */
public final class FrontDoorBench {
  private FrontDoorBench() {}

  public static void main(String[] args) throws Exception {
    Path repoRoot = Path.of(args[0]).toAbsolutePath();
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    Path assembly = repoRoot.resolve("infra-cdk/target/cdk-local");
    CloudAssembly.ensure(repoRoot, assembly);
    LocalTemplate template = CloudAssembly.read(assembly);
    IamPolicies policies = IamReader.read(assembly);
    String loader =
        template.functions().stream()
            .filter(f -> f.module().equals(Optional.of("lambda-txn-loader")))
            .findFirst()
            .orElseThrow()
            .name();
    StandIns standIns = SharedStandIns.get();
    URI dynalite = standIns.dynamoDbTarget().endpoint().orElseThrow();
    LocalCredentials credentials = LocalCredentials.load(Files.createTempDirectory("iam-bench"));
    try (FrontDoor enforce = door(IamMode.ENFORCE, policies, template, credentials, dynalite);
        FrontDoor off = door(IamMode.OFF, policies, template, credentials, dynalite)) {
      Credentials c = enforce.credentialsFor(loader).orElseThrow();
      off.credentialsFor(loader);
      try (DynamoDbClient direct = client(dynalite, c);
          DynamoDbClient viaDoor = client(enforce.endpoint(), c);
          DynamoDbClient viaOff = client(off.endpoint(), c)) {
        // 1. latency per call, alternating so both see the same machine load
        for (int i = 0; i < 500; i++) {
          update(direct, i);
          update(viaDoor, i);
        }
        long[] d = new long[n];
        long[] f = new long[n];
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          update(direct, i);
          long t1 = System.nanoTime();
          update(viaDoor, i);
          long t2 = System.nanoTime();
          d[i] = t1 - t0;
          f[i] = t2 - t1;
        }
        Arrays.sort(d);
        Arrays.sort(f);
        System.out.printf(
            "UpdateItem direct      p50 %.3f ms  p99 %.3f ms%n", ms(d, 0.50), ms(d, 0.99));
        System.out.printf(
            "UpdateItem front door  p50 %.3f ms  p99 %.3f ms%n", ms(f, 0.50), ms(f, 0.99));
        System.out.printf(
            "added by the front door: p50 %.3f ms  p99 %.3f ms  (denied calls: %d)%n",
            ms(f, 0.50) - ms(d, 0.50),
            ms(f, 0.99) - ms(d, 0.99),
            enforce.accessLog().deniedCount());
        // 2. BatchWriteItem throughput, 8 in flight, 3 rounds each in turn
        int batches = Math.max(200, n / 5);
        for (int round = 1; round <= 3; round++) {
          double a = throughput(direct, batches, round);
          double b = throughput(viaDoor, batches, round);
          double o = throughput(viaOff, batches, round);
          System.out.printf(
              "round %d BatchWriteItem items/s: direct %.0f  front door enforce %.0f (%.2fx)  off %.0f (%.2fx); enforce/off %.2fx%n",
              round, a, b, b / a, o, o / a, b / o);
        }
        System.out.println("denied calls: " + enforce.accessLog().deniedCount());
      }
    }
    System.exit(0);
  }

  /**
   * A front door in {@code mode} over dynalite, on a free port (LoaderIamThroughput uses it too).
   */
  public static FrontDoor door(
      IamMode mode,
      IamPolicies policies,
      LocalTemplate template,
      LocalCredentials credentials,
      URI dynalite) {
    return FrontDoor.start(
        new FrontDoor.Config(
            "127.0.0.1", 0, mode, policies, template, credentials, Map.of("dynamodb", dynalite)));
  }

  /** A DynamoDB client signing as {@code c} through {@code endpoint}. */
  public static DynamoDbClient client(URI endpoint, Credentials c) {
    return AwsClients.dynamoDb(
        new AwsTarget(
            Region.US_EAST_1,
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    c.accessKeyId(), c.secretAccessKey(), c.sessionToken().orElseThrow())),
            Optional.of(endpoint)));
  }

  private static void update(DynamoDbClient ddb, int i) {
    ddb.updateItem(
        u ->
            u.tableName("cdp-local-warehouse")
                .key(
                    Map.of(
                        "pk", AttributeValue.fromS("ORG#bench#ACCT#" + (i % 50)),
                        "sk", AttributeValue.fromS("2026-12-03#t" + (i % 50))))
                .updateExpression("SET n = :n")
                .expressionAttributeValues(
                    Map.of(":n", AttributeValue.fromN(Integer.toString(i)))));
  }

  private static double throughput(DynamoDbClient ddb, int batches, int round) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      int batch = b;
      futures.add(
          pool.submit(
              () -> {
                List<WriteRequest> items = new ArrayList<>();
                for (int k = 0; k < 25; k++) {
                  items.add(
                      WriteRequest.builder()
                          .putRequest(
                              PutRequest.builder()
                                  .item(
                                      Map.of(
                                          "pk",
                                              AttributeValue.fromS(
                                                  "ORG#bench#ACCT#" + round + "-" + batch),
                                          "sk", AttributeValue.fromS("2026-12-03#" + k)))
                                  .build())
                          .build());
                }
                ddb.batchWriteItem(w -> w.requestItems(Map.of("cdp-local-warehouse", items)));
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    return batches * 25 / ((System.nanoTime() - t0) / 1e9);
  }

  private static double ms(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }
}

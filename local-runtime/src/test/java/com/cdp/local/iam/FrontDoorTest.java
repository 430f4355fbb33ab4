package com.cdp.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.S3Clients;
import com.cdp.local.iam.LocalCredentials.Credentials;
import com.cdp.testing.SharedStandIns;
import com.cdp.testing.StandIns;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The front door between real AWS SDK clients (built by the platform's own factories, as the
 * functions build them) and the real stand-ins (dynalite, S3Proxy), on the real template's
 * policies.
 */
class FrontDoorTest {
  private static StandIns standIns;
  private static LocalCredentials credentials;
  private static FrontDoor door;
  private static String loader;

  @BeforeAll
  static void start() throws Exception {
    standIns = SharedStandIns.get();
    Path dir = Files.createTempDirectory("cdp-local-iam");
    credentials = LocalCredentials.load(dir);
    door = FrontDoor.start(config(IamMode.ENFORCE, RealTemplate.policies()));
    loader = RealTemplate.function("lambda-txn-loader").name();
  }

  @AfterAll
  static void stop() {
    if (door != null) {
      door.close();
    }
  }

  static FrontDoor.Config config(IamMode mode, IamPolicies policies) {
    return new FrontDoor.Config(
        "127.0.0.1",
        0,
        mode,
        policies,
        RealTemplate.template(),
        credentials,
        Map.of(
            "dynamodb", standIns.dynamoDbTarget().endpoint().orElseThrow(),
            "s3", standIns.s3Target().endpoint().orElseThrow()));
  }

  static AwsTarget target(FrontDoor door, Credentials c) {
    return new AwsTarget(
        Region.US_EAST_1,
        StaticCredentialsProvider.create(
            c.sessionToken()
                .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(
                    t -> AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), t))
                .orElse(AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()))),
        Optional.of(door.endpoint()));
  }

  private static Credentials as(String module) {
    return door.credentialsFor(RealTemplate.function(module).name()).orElseThrow();
  }

  private static WriteRequest warehouseItem(String id) {
    return WriteRequest.builder()
        .putRequest(
            PutRequest.builder()
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS("ORG#iam15#ACCT#" + id),
                        "sk", AttributeValue.fromS("2026-12-03#" + id)))
                .build())
        .build();
  }

  @Test
  void theLoaderBatchWritesTheWarehouseThroughTheFrontDoor() {
    try (DynamoDbClient ddb = AwsClients.dynamoDb(target(door, as("lambda-txn-loader")))) {
      String id = UUID.randomUUID().toString();
      ddb.batchWriteItem(
          b -> b.requestItems(Map.of("cdp-local-warehouse", List.of(warehouseItem(id)))));
      assertThat(
              standIns
                  .dynamoDb()
                  .getItem(
                      g ->
                          g.tableName("cdp-local-warehouse")
                              .key(
                                  Map.of(
                                      "pk", AttributeValue.fromS("ORG#iam15#ACCT#" + id),
                                      "sk", AttributeValue.fromS("2026-12-03#" + id))))
                  .hasItem())
          .isTrue();
    }
    assertThat(door.accessLog().used())
        .contains(
            new AccessLog.Use(
                RealTemplate.policies().roleOfFunction(loader).orElseThrow().name(),
                "dynamodb:BatchWriteItem",
                RealTemplate.table("warehouse")));
  }

  @Test
  void aCallTheRoleIsNotGrantedIsRefusedAsDynamoDbRefusesIt() {
    long before = door.accessLog().deniedCount();
    String role = RealTemplate.policies().roleOfFunction(loader).orElseThrow().name();
    try (DynamoDbClient ddb = AwsClients.dynamoDb(target(door, as("lambda-txn-loader")))) {
      assertThatThrownBy(
              () ->
                  ddb.getItem(
                      g ->
                          g.tableName("cdp-local-links")
                              .key(Map.of("pk", AttributeValue.fromS("x")))))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo(
                        "User: arn:aws:sts::000000000000:assumed-role/"
                            + role
                            + "/"
                            + loader
                            + " is not authorized to perform: dynamodb:GetItem on resource: "
                            + RealTemplate.table("links")
                            + " because no identity-based policy allows the dynamodb:GetItem action");
              });
    }
    assertThat(door.accessLog().deniedCount()).isEqualTo(before + 1);
    assertThat(door.accessLog().denials())
        .anySatisfy(
            d -> {
              assertThat(d.function()).isEqualTo(loader);
              assertThat(d.action()).isEqualTo("dynamodb:GetItem");
            });
  }

  @Test
  void withoutTheGrantTheLoadersBatchWriteIsDeniedNamingActionAndTable() {
    var copy = RealTemplate.json().deepCopy();
    assertThat(PolicyEvaluatorTest.removeAction(copy, "dynamodb:BatchWriteItem", "Tablewarehouse"))
        .isPositive();
    try (FrontDoor without = FrontDoor.start(config(IamMode.ENFORCE, RealTemplate.policies(copy)));
        DynamoDbClient ddb =
            AwsClients.dynamoDb(target(without, without.credentialsFor(loader).orElseThrow()))) {
      assertThatThrownBy(
              () ->
                  ddb.batchWriteItem(
                      b ->
                          b.requestItems(
                              Map.of("cdp-local-warehouse", List.of(warehouseItem("x"))))))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains(
                        "is not authorized to perform: dynamodb:BatchWriteItem on resource: "
                            + RealTemplate.table("warehouse"));
              });
    }
  }

  @Test
  void softModeLetsTheDeniedCallThroughButCountsIt() {
    try (FrontDoor soft = FrontDoor.start(config(IamMode.SOFT, RealTemplate.policies()));
        DynamoDbClient ddb =
            AwsClients.dynamoDb(target(soft, soft.credentialsFor(loader).orElseThrow()))) {
      // dynalite, not the front door, answers: the links table's key is not just "pk"
      assertThatThrownBy(
              () ->
                  ddb.getItem(
                      g ->
                          g.tableName("cdp-local-links")
                              .key(Map.of("nokey", AttributeValue.fromS("x")))))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
      assertThat(soft.accessLog().deniedCount()).isEqualTo(1);
      assertThat(soft.denialReport()).singleElement().asString().contains("dynamodb:GetItem");
    }
  }

  @Test
  void s3CallsAreVerifiedAndAuthorizedByKeyPrefix() {
    String bucket = standIns.bucket("tcu-data-delivery");
    assertThat(bucket).isEqualTo("tcu-data-delivery");
    try (S3Client s3 = S3Clients.s3(target(door, as("lambda-txn-chunker")))) {
      s3.putObject(
          p -> p.bucket(bucket).key("chunks/transactions/iam15/a.csv"),
          RequestBody.fromString("a,b\n1,2\n"));
      assertThat(
              s3.getObjectAsBytes(g -> g.bucket(bucket).key("chunks/transactions/iam15/a.csv"))
                  .asUtf8String())
          .isEqualTo("a,b\n1,2\n");
      assertThat(
              s3.listObjectsV2(l -> l.bucket(bucket).prefix("chunks/transactions/iam15/"))
                  .contents())
          .hasSize(1);
      assertThatThrownBy(
              () ->
                  s3.putObject(
                      p -> p.bucket(bucket).key("group-assignments/x.csv"),
                      RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains(
                        "s3:PutObject on resource: arn:aws:s3:::tcu-data-delivery/group-assignments/x.csv");
              });
    }
  }

  @Test
  void snsPublishBatchIsVerifiedAndAuthorizedOnItsTopic() {
    try (var sns =
        AwsClients.build(
            software.amazon.awssdk.services.sns.SnsClient.builder(),
            target(door, as("lambda-txn-loader")))) {
      // the loader may publish to the log topic only: another topic is denied by SNS's
      // AuthorizationError
      assertThatThrownBy(
              () ->
                  sns.publishBatch(
                      p ->
                          p.topicArn("arn:aws:sns:us-east-1:000000000000:other")
                              .publishBatchRequestEntries(e -> e.id("0").message("{\"a\":1}"))))
          .isInstanceOfSatisfying(
              software.amazon.awssdk.services.sns.model.SnsException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthorizationError");
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains("sns:Publish on resource: arn:aws:sns:us-east-1:000000000000:other");
              });
    }
  }

  @Test
  void unsignedRequestsAreRefused() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(door.endpoint().resolve("/"))
                    .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("MissingAuthenticationTokenException");
  }

  @Test
  void aWrongSecretIsRefused() {
    Credentials real = as("lambda-txn-loader");
    Credentials wrong =
        new Credentials(real.accessKeyId(), real.secretAccessKey() + "x", real.sessionToken());
    try (DynamoDbClient ddb = AwsClients.dynamoDb(target(door, wrong))) {
      assertThatThrownBy(() -> ddb.listTables())
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("InvalidSignatureException"));
    }
  }

  @Test
  void anUnknownKeyIsRefused() {
    Credentials unknown = new Credentials("ASIA0000000000000000", "secret", Optional.of("token"));
    try (DynamoDbClient ddb = AwsClients.dynamoDb(target(door, unknown))) {
      assertThatThrownBy(() -> ddb.listTables())
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  void aStaleSignatureIsRefused() {
    // The front door's clock is 16 minutes ahead of the client's: the signature is too old.
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16));
    try (FrontDoor later =
            FrontDoor.start(config(IamMode.ENFORCE, RealTemplate.policies()), ahead);
        DynamoDbClient ddb =
            AwsClients.dynamoDb(target(later, later.credentialsFor(loader).orElseThrow()))) {
      assertThatThrownBy(() -> ddb.listTables())
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                assertThat(e.awsErrorDetails().errorMessage()).startsWith("Signature expired");
              });
    }
  }

  @Test
  void theAdminIdentityIsNotPolicyChecked() {
    try (DynamoDbClient ddb = AwsClients.dynamoDb(target(door, credentials.admin()))) {
      assertThat(ddb.listTables().tableNames()).contains("cdp-local-warehouse");
    }
  }

  static URI endpoint() {
    return door.endpoint();
  }

  private static software.amazon.awssdk.services.s3.presigner.S3Presigner presigner(
      FrontDoor at, Credentials c) {
    return software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(target(at, c).credentials())
        .endpointOverride(at.endpoint())
        .serviceConfiguration(
            software.amazon.awssdk.services.s3.S3Configuration.builder()
                .pathStyleAccessEnabled(true)
                .build())
        .build();
  }

  private static URI presignedGet(FrontDoor at, Credentials c, String bucket, String key) {
    try (var presigner = presigner(at, c)) {
      return URI.create(
          presigner
              .presignGetObject(
                  g ->
                      g.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(o -> o.bucket(bucket).key(key)))
              .url()
              .toString());
    }
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void presignedGet_isVerifiedFromItsQueryAndAuthorizedAsItsSigner() throws Exception {
    String bucket = standIns.bucket("tcu-data-delivery");
    String key = "chunks/transactions/iam15-presigned/p-" + UUID.randomUUID() + ".csv";
    standIns.s3().putObject(p -> p.bucket(bucket).key(key), RequestBody.fromString("a,b\n"));

    URI url = presignedGet(door, as("lambda-txn-chunker"), bucket, key);
    assertThat(url.getRawQuery()).contains("X-Amz-Signature=");
    HttpResponse<String> ok = get(url);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("a,b\n");

    // another key under the same signature
    HttpResponse<String> tampered = get(URI.create(url.toString().replace("/p-", "/q-")));
    assertThat(tampered.statusCode()).isEqualTo(403);
    assertThat(tampered.body()).contains("SignatureDoesNotMatch");

    // a role without s3:GetObject there: signed correctly, then denied as S3 denies it
    HttpResponse<String> denied = get(presignedGet(door, as("lambda-url-shortener"), bucket, key));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("AccessDenied", "s3:GetObject on resource: arn:aws:s3:::");
  }

  @Test
  void presignedGet_pastItsExpiry_isRefused() throws Exception {
    // The front door's clock is 6 minutes ahead: the 5-minute URL has expired.
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6));
    try (FrontDoor later =
        FrontDoor.start(config(IamMode.ENFORCE, RealTemplate.policies()), ahead)) {
      HttpResponse<String> expired =
          get(
              presignedGet(
                  later,
                  later
                      .credentialsFor(RealTemplate.function("lambda-txn-chunker").name())
                      .orElseThrow(),
                  "tcu-data-delivery",
                  "chunks/transactions/iam15/x.csv"));
      // as S3 answers an expired presigned URL: AccessDenied, not a clock-skew error
      assertThat(expired.statusCode()).isEqualTo(403);
      assertThat(expired.body())
          .contains("<Code>AccessDenied</Code>", "<Message>Request has expired</Message>")
          .doesNotContain("RequestTimeTooSkewed");
    }
  }

  /** An S3 PUT signed chunk by chunk by the SDK's signer, as the S3 client sends a stream. */
  private static HttpResponse<String> chunkedPut(
      String bucket, String key, byte[] content, int flip) throws Exception {
    Credentials c = as("lambda-txn-chunker");
    software.amazon.awssdk.http.SdkHttpFullRequest request =
        software.amazon.awssdk.http.SdkHttpFullRequest.builder()
            .method(software.amazon.awssdk.http.SdkHttpMethod.PUT)
            .uri(door.endpoint().resolve("/" + bucket + "/" + key))
            .putHeader("Content-Length", String.valueOf(content.length))
            .build();
    var signed =
        software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.request(request)
                        .payload(
                            software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(
                                content))
                        .identity(
                            software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity
                                .create(
                                    c.accessKeyId(),
                                    c.secretAccessKey(),
                                    c.sessionToken().orElseThrow()))
                        .putProperty(
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME,
                            "us-east-1")
                        .putProperty(
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner
                                .SERVICE_SIGNING_NAME,
                            "s3")
                        .putProperty(
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner
                                .DOUBLE_URL_ENCODE,
                            false)
                        .putProperty(
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner
                                .NORMALIZE_PATH,
                            false)
                        .putProperty(
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner
                                .CHUNK_ENCODING_ENABLED,
                            true));
    byte[] body;
    try (var in = signed.payload().orElseThrow().newStream()) {
      body = in.readAllBytes();
    }
    if (flip >= 0) {
      body[flip] ^= 1;
    }
    HttpRequest.Builder http =
        HttpRequest.newBuilder(door.endpoint().resolve("/" + bucket + "/" + key))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    signed
        .request()
        .headers()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> http.header(name, v));
              }
            });
    assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256"))
        .contains("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aStreamingPut_isVerifiedChunkByChunk_andATamperedChunkIsRefused() throws Exception {
    String bucket = standIns.bucket("tcu-data-delivery");
    byte[] content = new byte[300 * 1024]; // three chunks of the SDK's 128 KiB
    new java.util.Random(15).nextBytes(content);
    String key = "chunks/transactions/iam15-streamed/" + UUID.randomUUID();

    HttpResponse<String> ok = chunkedPut(bucket, key, content, -1);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(standIns.s3().getObjectAsBytes(g -> g.bucket(bucket).key(key)).asByteArray())
        .isEqualTo(content);

    // one bit of the second chunk's data changed: its signature no longer matches
    String other = key + "-tampered";
    HttpResponse<String> tampered = chunkedPut(bucket, other, content, 140 * 1024);
    assertThat(tampered.statusCode()).isEqualTo(403);
    assertThat(tampered.body()).contains("SignatureDoesNotMatch");
    assertThat(standIns.s3().listObjectsV2(l -> l.bucket(bucket).prefix(other)).contents())
        .isEmpty();
  }
}

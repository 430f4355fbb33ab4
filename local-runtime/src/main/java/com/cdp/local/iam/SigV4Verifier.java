package com.cdp.local.iam;

import com.cdp.local.iam.LocalCredentials.Principal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.util.MultiMap;
import org.eclipse.jetty.util.UrlEncoded;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Verifies an incoming request's SigV4 {@code Authorization} header the way AWS does: the key must
 * be one this platform issued (with its session token), {@code X-Amz-Date} within 15 minutes of
 * now, and the signature equal (compared in constant time) to the one the AWS SDK's own signer
 * computes over the same signed headers, path, query and payload hash with the key's secret.
 */
final class SigV4Verifier {
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  // compiled once: they run on every request
  private static final java.util.regex.Pattern SHA256_HEX =
      java.util.regex.Pattern.compile("[0-9a-f]{64}");
  private static final java.util.regex.Pattern PORT = java.util.regex.Pattern.compile(":\\d+$");
  private static final String UNSIGNED = "UNSIGNED-PAYLOAD";
  private static final String STREAMING = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

  /** The chunk size of the SDK's chunked signer (AwsChunkedV4PayloadSigner's default). */
  private static final int SDK_CHUNK_SIZE = 128 * 1024;

  /** S3's limit on {@code X-Amz-Expires}: seven days. */
  static final Duration MAX_PRESIGNED = Duration.ofDays(7);

  private static final Set<String> PRESIGN_PARAMETERS =
      Set.of(
          "X-Amz-Algorithm",
          "X-Amz-Credential",
          "X-Amz-Date",
          "X-Amz-Expires",
          "X-Amz-SignedHeaders",
          "X-Amz-Signature",
          "X-Amz-Security-Token");

  /** Why a request was refused; each maps to the service's own error code. */
  enum Refusal {
    UNSIGNED,
    MALFORMED,
    UNKNOWN_KEY,
    INVALID_TOKEN,
    STALE,
    EXPIRED,
    BAD_SIGNATURE,
    BODY_MISMATCH
  }

  /** The outcome: the caller, the service and region it signed for; or why it was refused. */
  record Result(
      Optional<Principal> principal,
      String service,
      String region,
      Optional<Refusal> refusal,
      String detail) {
    static Result refused(Refusal why, String service, String detail) {
      return new Result(Optional.empty(), service, "", Optional.of(why), detail);
    }

    boolean verified() {
      return refusal.isEmpty();
    }
  }

  private final LocalCredentials credentials;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  SigV4Verifier(LocalCredentials credentials) {
    this.credentials = credentials;
  }

  /** The service a request is signed for (its credential scope), if it carries a SigV4 header. */
  static Optional<String> signedService(AwsRequest request) {
    Optional<String> header = request.header("Authorization");
    if (header.isPresent()) {
      return header.flatMap(SigV4Verifier::parse).map(Authorization::service);
    }
    return Optional.ofNullable(query(request).getValue("X-Amz-Credential", 0))
        .map(c -> c.split("/"))
        .filter(c -> c.length == 5)
        .map(c -> c[3]);
  }

  Result verify(AwsRequest request, Instant now) {
    Optional<String> header = request.header("Authorization");
    if (header.isEmpty()) {
      MultiMap<String> query = query(request);
      if (query.containsKey("X-Amz-Signature") || query.containsKey("X-Amz-Algorithm")) {
        return verifyPresigned(request, query, now);
      }
      return Result.refused(Refusal.UNSIGNED, "", "the request is not signed");
    }
    Optional<Authorization> parsed = parse(header.get());
    if (parsed.isEmpty()) {
      return Result.refused(Refusal.MALFORMED, "", "the Authorization header is not SigV4");
    }
    Authorization auth = parsed.get();
    String service = auth.service();
    String region = auth.region();
    Optional<Principal> principal = credentials.principal(auth.keyId());
    if (principal.isEmpty()) {
      return Result.refused(Refusal.UNKNOWN_KEY, service, "unknown access key");
    }
    Optional<String> expectedToken = credentials.sessionToken(auth.keyId());
    Optional<String> token = request.header("X-Amz-Security-Token");
    if ((expectedToken.isEmpty() && token.isPresent())
        || (expectedToken.isPresent()
            && !MessageDigest.isEqual(
                expectedToken.get().getBytes(StandardCharsets.UTF_8),
                token.orElse("").getBytes(StandardCharsets.UTF_8)))) {
      return Result.refused(Refusal.INVALID_TOKEN, service, "invalid session token");
    }
    Instant signedAt;
    String amzDate = request.header("X-Amz-Date").orElse("");
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      return Result.refused(Refusal.MALFORMED, service, "missing or malformed X-Amz-Date");
    }
    // the pattern parsed exactly, so its first 8 characters are the date as the scope names it
    if (amzDate.length() != 16 || !auth.date().equals(amzDate.substring(0, 8))) {
      return Result.refused(
          Refusal.BAD_SIGNATURE, service, "credential scope date differs from X-Amz-Date");
    }
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      return Result.refused(
          Refusal.STALE,
          service,
          "Signature expired: "
              + AMZ_DATE.format(signedAt)
              + " is now earlier than "
              + AMZ_DATE.format(now.minus(MAX_SKEW))
              + " ("
              + AMZ_DATE.format(now)
              + " - 15 min.)");
    }
    String payloadHash = request.header("x-amz-content-sha256").orElse("");
    if (SHA256_HEX.matcher(payloadHash).matches() && !payloadHash.equals(sha256(request.body()))) {
      return Result.refused(
          Refusal.BODY_MISMATCH, service, "x-amz-content-sha256 does not match the body");
    }
    String expected =
        recompute(request, auth, service, region, signedAt, principal.get(), payloadHash);
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        auth.signature().getBytes(StandardCharsets.US_ASCII))) {
      return Result.refused(Refusal.BAD_SIGNATURE, service, "signature does not match");
    }
    if (payloadHash.equals(STREAMING) && !chunksVerify(request, auth, region, signedAt)) {
      return Result.refused(
          Refusal.BAD_SIGNATURE,
          service,
          "a chunk signature of the aws-chunked body does not match");
    }
    return new Result(principal, service, region, Optional.empty(), "");
  }

  /**
   * A presigned request (query-string SigV4, as {@code S3Presigner} makes): the key, session token
   * and signature travel in {@code X-Amz-*} query parameters, and the request is refused once
   * {@code X-Amz-Expires} seconds after {@code X-Amz-Date} have passed. The signature is recomputed
   * by the SDK's signer in its query-string mode.
   */
  private Result verifyPresigned(AwsRequest request, MultiMap<String> query, Instant now) {
    String algorithm = query.getValue("X-Amz-Algorithm", 0);
    String credential = query.getValue("X-Amz-Credential", 0);
    String signedHeaders = query.getValue("X-Amz-SignedHeaders", 0);
    String signature = query.getValue("X-Amz-Signature", 0);
    String date = query.getValue("X-Amz-Date", 0);
    String expires = query.getValue("X-Amz-Expires", 0);
    if (!ALGORITHM.equals(algorithm)
        || credential == null
        || signedHeaders == null
        || signature == null
        || date == null
        || expires == null) {
      return Result.refused(
          Refusal.MALFORMED,
          "",
          "a presigned request needs X-Amz-Algorithm="
              + ALGORITHM
              + ", X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and"
              + " X-Amz-Signature");
    }
    Optional<Authorization> parsed =
        parse(
            ALGORITHM
                + " Credential="
                + credential
                + ", SignedHeaders="
                + signedHeaders
                + ", Signature="
                + signature);
    if (parsed.isEmpty()) {
      return Result.refused(Refusal.MALFORMED, "", "X-Amz-Credential is malformed");
    }
    Authorization auth = parsed.get();
    String service = auth.service();
    Optional<Principal> principal = credentials.principal(auth.keyId());
    if (principal.isEmpty()) {
      return Result.refused(Refusal.UNKNOWN_KEY, service, "unknown access key");
    }
    Optional<String> expectedToken = credentials.sessionToken(auth.keyId());
    Optional<String> token = Optional.ofNullable(query.getValue("X-Amz-Security-Token", 0));
    if ((expectedToken.isEmpty() && token.isPresent())
        || (expectedToken.isPresent()
            && !MessageDigest.isEqual(
                expectedToken.get().getBytes(StandardCharsets.UTF_8),
                token.orElse("").getBytes(StandardCharsets.UTF_8)))) {
      return Result.refused(Refusal.INVALID_TOKEN, service, "invalid session token");
    }
    Instant signedAt;
    long seconds;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(date));
      seconds = Long.parseLong(expires);
    } catch (DateTimeParseException | NumberFormatException e) {
      return Result.refused(Refusal.MALFORMED, service, "malformed X-Amz-Date or X-Amz-Expires");
    }
    if (seconds < 1 || seconds > MAX_PRESIGNED.toSeconds()) {
      return Result.refused(
          Refusal.MALFORMED,
          service,
          "X-Amz-Expires must be between 1 and " + MAX_PRESIGNED.toSeconds() + " seconds");
    }
    if (!auth.date().equals(date.substring(0, Math.min(8, date.length())))) {
      return Result.refused(
          Refusal.BAD_SIGNATURE, service, "credential scope date differs from X-Amz-Date");
    }
    if (now.isBefore(signedAt.minus(MAX_SKEW))) {
      return Result.refused(Refusal.STALE, service, "the request is signed in the future");
    }
    if (now.isAfter(signedAt.plusSeconds(seconds))) {
      return Result.refused(Refusal.EXPIRED, service, "Request has expired");
    }
    // S3 defines a presigned URL's payload as UNSIGNED-PAYLOAD, which the SDK's signer writes
    // for https; over plain http (the local endpoints) it signs the empty payload's hash instead.
    for (boolean http : List.of(false, true)) {
      String expected = presignedSignature(request, auth, expectedToken, signedAt, seconds, http);
      if (MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.US_ASCII),
          signature.getBytes(StandardCharsets.US_ASCII))) {
        return new Result(principal, service, auth.region(), Optional.empty(), "");
      }
    }
    return Result.refused(Refusal.BAD_SIGNATURE, service, "signature does not match");
  }

  private String presignedSignature(
      AwsRequest request,
      Authorization auth,
      Optional<String> token,
      Instant signedAt,
      long seconds,
      boolean http) {
    String service = auth.service();
    SdkHttpFullRequest.Builder b = unsignedCopy(request, auth, http, PRESIGN_PARAMETERS);
    String secret = credentials.secret(auth.keyId()).orElseThrow();
    AwsCredentialsIdentity identity =
        token
            .<AwsCredentialsIdentity>map(
                t -> AwsSessionCredentialsIdentity.create(auth.keyId(), secret, t))
            .orElse(AwsCredentialsIdentity.create(auth.keyId(), secret));
    boolean s3 = service.equals("s3");
    SdkHttpFullRequest unsignedRequest = b.build();
    SignedRequest signed =
        signer.sign(
            r ->
                r.request(unsignedRequest)
                    .payload(null)
                    .identity(identity)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, auth.region())
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, !s3)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, !s3)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                    .putProperty(
                        AwsV4FamilyHttpSigner.AUTH_LOCATION,
                        AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                    .putProperty(
                        AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(seconds)));
    return signed.request().firstMatchingRawQueryParameter("X-Amz-Signature").orElse("");
  }

  /**
   * Checks every chunk signature of a {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} body: the SDK's
   * own chunked signer encodes the decoded content again from the (verified) seed signature, and
   * the result must equal the body byte for byte. The signer cuts 128 KiB chunks, as every AWS SDK
   * for Java v2 client sends them, so that is where the content's bytes are taken from.
   */
  private boolean chunksVerify(
      AwsRequest request, Authorization auth, String region, Instant signedAt) {
    long decodedLength;
    try {
      decodedLength = Long.parseLong(request.header("x-amz-decoded-content-length").orElse(""));
    } catch (NumberFormatException e) {
      return false;
    }
    byte[] body = request.body();
    java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
    int at = 0;
    long left = decodedLength;
    while (left > 0) {
      int size = (int) Math.min(SDK_CHUNK_SIZE, left);
      // "<hex size>;chunk-signature=<64 hex>\r\n" <data> "\r\n"
      at += Integer.toHexString(size).length() + ";chunk-signature=".length() + 64 + 2;
      if (at < 0 || at + size > body.length) {
        return false;
      }
      content.write(body, at, size);
      at += size + 2;
      left -= size;
    }
    byte[] decoded = content.toByteArray();
    SdkHttpFullRequest.Builder b = unsignedCopy(request, auth, true, Set.of());
    String secret = credentials.secret(auth.keyId()).orElseThrow();
    AwsCredentialsIdentity identity =
        credentials
            .sessionToken(auth.keyId())
            .<AwsCredentialsIdentity>map(
                t -> AwsSessionCredentialsIdentity.create(auth.keyId(), secret, t))
            .orElse(AwsCredentialsIdentity.create(auth.keyId(), secret));
    SdkHttpFullRequest unsignedRequest =
        b.contentStreamProvider(ContentStreamProvider.fromByteArrayUnsafe(decoded)).build();
    SignedRequest signed =
        signer.sign(
            r ->
                r.request(unsignedRequest)
                    .payload(unsignedRequest.contentStreamProvider().orElseThrow())
                    .identity(identity)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, auth.service())
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                    .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true));
    byte[] encoded;
    try (java.io.InputStream in = signed.payload().orElseThrow().newStream()) {
      encoded = in.readAllBytes();
    } catch (java.io.IOException e) {
      return false;
    }
    return MessageDigest.isEqual(encoded, body);
  }

  private String recompute(
      AwsRequest request,
      Authorization auth,
      String service,
      String region,
      Instant signedAt,
      Principal principal,
      String payloadHash) {
    boolean s3 = service.equals("s3");
    boolean unsigned = payloadHash.equals(UNSIGNED);
    boolean streaming = payloadHash.startsWith("STREAMING-");
    SdkHttpFullRequest.Builder b = unsignedCopy(request, auth, !unsigned, Set.of());
    if (!streaming) {
      b.contentStreamProvider(ContentStreamProvider.fromByteArrayUnsafe(request.body()));
    }
    String secret = credentials.secret(auth.keyId()).orElseThrow();
    AwsCredentialsIdentity identity =
        credentials
            .sessionToken(auth.keyId())
            .<AwsCredentialsIdentity>map(
                t -> AwsSessionCredentialsIdentity.create(auth.keyId(), secret, t))
            .orElse(AwsCredentialsIdentity.create(auth.keyId(), secret));
    SdkHttpFullRequest unsignedRequest = b.build();
    SignedRequest signed =
        signer.sign(
            r ->
                r.request(unsignedRequest)
                    .payload(
                        streaming ? null : unsignedRequest.contentStreamProvider().orElse(null))
                    .identity(identity)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, !s3)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, !s3)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !unsigned)
                    .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, streaming));
    SdkHttpRequest out = signed.request();
    Optional<Authorization> recomputed =
        out.firstMatchingHeader("Authorization").flatMap(SigV4Verifier::parse);
    if (recomputed.isEmpty()
        || !Arrays.equals(recomputed.get().signedHeaders(), auth.signedHeaders())) {
      // the signer would have signed other headers: the request was not signed as the SDK signs
      return "";
    }
    return recomputed.get().signature();
  }

  /**
   * The request as the client had it before signing: method, host, raw path, the query without
   * {@code skipQuery}, and the headers it signed (the signer sets the date and token again).
   */
  private static SdkHttpFullRequest.Builder unsignedCopy(
      AwsRequest request, Authorization auth, boolean http, Set<String> skipQuery) {
    String host = request.header("Host").orElse("localhost");
    boolean streaming = request.header("x-amz-content-sha256").orElse("").startsWith("STREAMING-");
    SdkHttpFullRequest.Builder b =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(request.method()))
            // The SDK signs an unsigned payload only over https: the scheme is not signed itself.
            .uri(
                URI.create((http ? "http" : "https") + "://" + PORT.matcher(host).replaceFirst("")))
            .encodedPath(request.rawPath());
    hostPort(host).ifPresent(b::port);
    query(request)
        .forEach(
            (k, v) -> {
              if (!skipQuery.contains(k)) {
                b.putRawQueryParameter(k, v);
              }
            });
    for (String name : auth.signedHeaders()) {
      if (name.equals("x-amz-date") || name.equals("x-amz-security-token")) {
        continue; // the signer sets these from the clock and the identity
      }
      List<String> values = request.headers().get(name);
      if (values != null && streaming && name.equals("content-encoding")) {
        // the SDK's chunked signer appends aws-chunked itself: give it the encodings before that
        values =
            values.stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim)
                .filter(v -> !v.equals("aws-chunked") && !v.isEmpty())
                .toList();
      }
      if (values != null && !values.isEmpty()) {
        b.putHeader(name, values);
      }
    }
    return b;
  }

  private static MultiMap<String> query(AwsRequest request) {
    MultiMap<String> query = new MultiMap<>();
    request.rawQuery().ifPresent(q -> UrlEncoded.decodeUtf8To(q, query));
    return query;
  }

  private static Optional<Integer> hostPort(String host) {
    int colon = host.lastIndexOf(':');
    if (colon < 0 || host.endsWith("]")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(host.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static String sha256(byte[] body) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The parts of {@code AWS4-HMAC-SHA256 Credential=K/D/R/S/aws4_request, SignedHeaders=...,
   * Signature=...}.
   */
  record Authorization(
      String keyId,
      String date,
      String region,
      String service,
      String[] signedHeaders,
      String signature) {}

  static Optional<Authorization> parse(String header) {
    if (!header.startsWith(ALGORITHM + " ")) {
      return Optional.empty();
    }
    Map<String, String> parts = new HashMap<>();
    for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) {
      return Optional.empty();
    }
    String[] c = credential.split("/");
    if (c.length != 5 || !c[4].equals("aws4_request")) {
      return Optional.empty();
    }
    return Optional.of(
        new Authorization(
            c[0], c[1], c[2], c[3], signedHeaders.toLowerCase(Locale.ROOT).split(";"), signature));
  }
}

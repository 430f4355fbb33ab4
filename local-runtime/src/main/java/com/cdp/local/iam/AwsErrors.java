package com.cdp.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Error answers in each service's own wire shape, so the SDK in the function raises the same
 * exception type AWS would: JSON 1.0/1.1 {@code __type} for DynamoDB and the JSON services, S3's
 * XML {@code Error}, SNS's query-protocol {@code ErrorResponse}, API Gateway's JSON message.
 */
final class AwsErrors {
  /** An HTTP answer the front door writes instead of forwarding. */
  record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {}

  /** What went wrong, independent of the service. */
  enum Kind {
    ACCESS_DENIED,
    UNSIGNED,
    UNKNOWN_KEY,
    INVALID_TOKEN,
    BAD_SIGNATURE,
    STALE,
    /** A presigned URL past its {@code X-Amz-Expires}: S3 answers 403 AccessDenied. */
    EXPIRED,
    BODY_MISMATCH,
    MALFORMED
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private AwsErrors() {}

  static Answer answer(String service, Kind kind, String message) {
    return switch (service) {
      case "s3" -> s3(kind, message);
      case "sns" -> sns(kind, message);
      case "execute-api" ->
          json(403, "application/json", Map.of("message", message), code(service, kind));
      case "dynamodb" ->
          json(
              400,
              "application/x-amz-json-1.0",
              Map.of(
                  "__type",
                  "com.amazonaws.dynamodb.v20120810#" + code(service, kind),
                  "message",
                  message),
              code(service, kind));
      default ->
          json(
              400,
              "application/x-amz-json-1.1",
              Map.of("__type", code(service, kind), "message", message),
              code(service, kind));
    };
  }

  static String code(String service, Kind kind) {
    return switch (kind) {
      case ACCESS_DENIED ->
          service.equals("sns")
              ? "AuthorizationError"
              : service.equals("s3") ? "AccessDenied" : "AccessDeniedException";
      case UNSIGNED ->
          service.equals("s3") ? "AccessDenied" : "MissingAuthenticationTokenException";
      case UNKNOWN_KEY ->
          service.equals("s3")
              ? "InvalidAccessKeyId"
              : service.equals("sns") ? "InvalidClientTokenId" : "UnrecognizedClientException";
      case INVALID_TOKEN ->
          service.equals("s3")
              ? "InvalidToken"
              : service.equals("sns") ? "InvalidClientTokenId" : "UnrecognizedClientException";
      case BAD_SIGNATURE, MALFORMED ->
          service.equals("s3")
              ? "SignatureDoesNotMatch"
              : service.equals("sns") ? "SignatureDoesNotMatch" : "InvalidSignatureException";
      case EXPIRED ->
          service.equals("s3")
              ? "AccessDenied"
              : service.equals("sns") ? "RequestExpired" : "InvalidSignatureException";
      case STALE ->
          service.equals("s3")
              ? "RequestTimeTooSkewed"
              : service.equals("sns") ? "RequestExpired" : "InvalidSignatureException";
      case BODY_MISMATCH ->
          service.equals("s3") ? "XAmzContentSHA256Mismatch" : "InvalidSignatureException";
    };
  }

  private static Answer json(
      int status, String contentType, Map<String, String> body, String code) {
    try {
      return new Answer(
          status,
          contentType,
          JSON.writeValueAsBytes(new LinkedHashMap<>(body)),
          Map.of("x-amzn-ErrorType", code));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Answer s3(Kind kind, String message) {
    int status = kind == Kind.BODY_MISMATCH || kind == Kind.MALFORMED ? 400 : 403;
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
            + code("s3", kind)
            + "</Code><Message>"
            + escape(message)
            + "</Message><RequestId>"
            + requestId()
            + "</RequestId></Error>";
    return new Answer(status, "application/xml", xml.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private static Answer sns(Kind kind, String message) {
    int status =
        kind == Kind.ACCESS_DENIED
                || kind == Kind.UNKNOWN_KEY
                || kind == Kind.INVALID_TOKEN
                || kind == Kind.UNSIGNED
                || kind == Kind.BAD_SIGNATURE
                || kind == Kind.STALE
                || kind == Kind.EXPIRED
            ? 403
            : 400;
    String xml =
        "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>"
            + code("sns", kind)
            + "</Code><Message>"
            + escape(message)
            + "</Message></Error><RequestId>"
            + requestId()
            + "</RequestId></ErrorResponse>";
    return new Answer(status, "text/xml", xml.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private static String requestId() {
    return UUID.randomUUID().toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}

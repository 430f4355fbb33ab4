package com.cdp.local.iam;

import com.cdp.local.iam.PolicyEvaluator.Check;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.MultiMap;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * Works out what an AWS API request does in IAM's terms: one {@link Check} (action, resource ARN,
 * condition keys) per thing the request touches, as AWS authorizes it. A batch call yields a check
 * per table; a RunTask also checks {@code iam:PassRole} for the roles it passes.
 */
final class RequestActions {
  /** A request the front door cannot map (malformed body, unknown protocol shape). */
  static final class UnmappableRequest extends Exception {
    private static final long serialVersionUID = 1L;

    UnmappableRequest(String message) {
      super(message);
    }
  }

  /** Partition key attribute of a table or index, by table name and by {@code table/index}. */
  interface KeySchema {
    Optional<String> partitionKey(String table, Optional<String> index);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EQUALS =
      Pattern.compile("(#?[A-Za-z0-9_.]+)\\s*=\\s*(:[A-Za-z0-9_]+)");
  // SecureTransport: the front door listens on loopback only, where TLS adds nothing; the
  // template's "deny unless TLS" bucket and topic policies therefore hold as they do in AWS.
  private static final Map<String, List<String>> BASE =
      Map.of("aws:SecureTransport", List.of("true"));

  private final String region;
  private final String account;
  private final KeySchema keys;
  private final Map<String, String> secretArnsByName;
  private final Map<String, List<String>> passedRolesByTaskFamily;

  RequestActions(
      String region,
      String account,
      KeySchema keys,
      Map<String, String> secretArnsByName,
      Map<String, List<String>> passedRolesByTaskFamily) {
    this.region = region;
    this.account = account;
    this.keys = keys;
    this.secretArnsByName = Map.copyOf(secretArnsByName);
    this.passedRolesByTaskFamily = Map.copyOf(passedRolesByTaskFamily);
  }

  List<Check> checks(String service, AwsRequest request) throws UnmappableRequest {
    return switch (service) {
      case "dynamodb" -> dynamoDb(request);
      case "s3" -> s3(request);
      case "sns" -> sns(request);
      case "execute-api" -> connections(request);
      default -> jsonTarget(service, request);
    };
  }

  private String arn(String service, String resource) {
    return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
  }

  // ---- DynamoDB (JSON 1.0, X-Amz-Target DynamoDB_20120810.Op) ----

  private List<Check> dynamoDb(AwsRequest request) throws UnmappableRequest {
    String op = operation(request);
    if (op.equals("BatchWriteItem") || op.equals("BatchGetItem")) {
      // The loader's hot path: read only the table names and each item's partition key with a
      // streaming parser instead of building a tree of every attribute of every item.
      return batch(op, request);
    }
    JsonNode body = json(request);
    List<Check> out = new ArrayList<>();
    switch (op) {
      case "TransactWriteItems", "TransactGetItems" -> {
        for (JsonNode item : body.path("TransactItems")) {
          for (Map.Entry<String, JsonNode> e : fields(item)) {
            String action =
                switch (e.getKey()) {
                  case "Put" -> "PutItem";
                  case "Update" -> "UpdateItem";
                  case "Delete" -> "DeleteItem";
                  case "ConditionCheck" -> "ConditionCheckItem";
                  case "Get" -> "GetItem";
                  default -> throw new UnmappableRequest("unknown transaction item " + e.getKey());
                };
            String table = e.getValue().path("TableName").asText();
            JsonNode key =
                e.getValue().has("Item") ? e.getValue().get("Item") : e.getValue().path("Key");
            out.add(
                dynamoCheck(
                    action,
                    table,
                    Optional.empty(),
                    leading(table, Optional.empty(), key).map(List::of).orElse(List.of())));
          }
        }
      }
      default -> {
        String table = body.path("TableName").asText("");
        if (table.isEmpty()) {
          // ListTables and other account-level calls
          out.add(new Check("dynamodb:" + op, "*", BASE));
          break;
        }
        Optional<String> index = Optional.ofNullable(body.get("IndexName")).map(JsonNode::asText);
        List<String> leading = new ArrayList<>();
        if (body.has("Key")) {
          leading(table, index, body.get("Key")).ifPresent(leading::add);
        } else if (body.has("Item")) {
          leading(table, index, body.get("Item")).ifPresent(leading::add);
        } else if (op.equals("Query")) {
          queryLeadingKey(table, index, body).ifPresent(leading::add);
        }
        out.add(dynamoCheck(op, table, index, leading));
      }
    }
    return out;
  }

  /**
   * The checks of a {@code BatchWriteItem}/{@code BatchGetItem}: one per table of {@code
   * RequestItems}, with the partition-key values of its items as {@code dynamodb:LeadingKeys}. A
   * table (or a field) that occurs twice yields the union, so a repeated name can only add checks.
   */
  private List<Check> batch(String op, AwsRequest request) throws UnmappableRequest {
    Map<String, Set<String>> leadingByTable = new LinkedHashMap<>();
    if (request.body().length > 0) {
      try (JsonParser p = JSON.getFactory().createParser(request.body())) {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.getCurrentName();
          JsonToken value = p.nextToken();
          if (!field.equals("RequestItems")) {
            p.skipChildren();
            continue;
          }
          expect(value, JsonToken.START_OBJECT);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String table = p.getCurrentName();
            Set<String> leading = leadingByTable.computeIfAbsent(table, t -> new LinkedHashSet<>());
            Optional<String> pk = keys.partitionKey(table, Optional.empty());
            JsonToken requests = p.nextToken();
            if (op.equals("BatchGetItem")) {
              batchGetKeys(p, requests, pk, leading);
            } else {
              batchWrites(p, requests, pk, leading);
            }
          }
        }
      } catch (IOException e) {
        throw new UnmappableRequest("the body is not JSON");
      }
    }
    List<Check> out = new ArrayList<>();
    leadingByTable.forEach(
        (table, leading) ->
            out.add(dynamoCheck(op, table, Optional.empty(), List.copyOf(leading))));
    return out;
  }

  /** {@code {"Keys": [key, ...], ...}}: the leading key of each key. */
  private static void batchGetKeys(
      JsonParser p, JsonToken at, Optional<String> pk, Set<String> leading) throws IOException {
    if (at != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.getCurrentName();
      JsonToken value = p.nextToken();
      if (field.equals("Keys") && value == JsonToken.START_ARRAY) {
        while (p.nextToken() != JsonToken.END_ARRAY) {
          leadingOf(p, pk).ifPresent(leading::add);
        }
      } else {
        p.skipChildren();
      }
    }
  }

  /**
   * {@code [{"PutRequest": {"Item": item}} | {"DeleteRequest": {"Key": key}}, ...]}: the leading
   * key of each item or key (a request naming both is read as its put, as a tree reader would).
   */
  private static void batchWrites(
      JsonParser p, JsonToken at, Optional<String> pk, Set<String> leading) throws IOException {
    if (at != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    JsonToken element;
    while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
      if (element != JsonToken.START_OBJECT) {
        throw new IOException("a write request is not an object");
      }
      Optional<String> put = Optional.empty();
      Optional<String> delete = Optional.empty();
      boolean hasPut = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String kind = p.getCurrentName();
        JsonToken value = p.nextToken();
        hasPut |= kind.equals("PutRequest");
        String inner =
            kind.equals("PutRequest") ? "Item" : kind.equals("DeleteRequest") ? "Key" : null;
        if (inner == null || value != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.getCurrentName();
          p.nextToken();
          if (field.equals(inner)) {
            Optional<String> key = leadingOf(p, pk);
            if (kind.equals("PutRequest")) {
              put = key;
            } else {
              delete = key;
            }
          } else {
            p.skipChildren();
          }
        }
      }
      (hasPut ? put : delete).ifPresent(leading::add);
    }
  }

  /**
   * The partition-key value of the item or key the parser is at ({@code S}, {@code N} or {@code
   * B}), leaving the parser at its end.
   */
  private static Optional<String> leadingOf(JsonParser p, Optional<String> pk) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT || pk.isEmpty()) {
      p.skipChildren();
      return Optional.empty();
    }
    Optional<String> found = Optional.empty();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String attribute = p.getCurrentName();
      p.nextToken();
      if (attribute.equals(pk.get()) && p.currentToken() == JsonToken.START_OBJECT) {
        found = scalar((JsonNode) JSON.readTree(p));
      } else {
        p.skipChildren();
      }
    }
    return found;
  }

  private static void expect(JsonToken actual, JsonToken expected) throws UnmappableRequest {
    if (actual != expected) {
      throw new UnmappableRequest("the body is not the expected JSON object");
    }
  }

  private Check dynamoCheck(String op, String table, Optional<String> index, List<String> leading) {
    Map<String, List<String>> context = new LinkedHashMap<>(BASE);
    if (!leading.isEmpty()) {
      context.put("dynamodb:LeadingKeys", leading);
    }
    String resource = table.startsWith("arn:") ? table : arn("dynamodb", "table/" + table);
    return new Check(
        "dynamodb:" + op, index.map(i -> resource + "/index/" + i).orElse(resource), context);
  }

  private Optional<String> leading(String table, Optional<String> index, JsonNode item) {
    return keys.partitionKey(table, index).map(item::get).flatMap(RequestActions::scalar);
  }

  private Optional<String> queryLeadingKey(String table, Optional<String> index, JsonNode body) {
    Optional<String> pk = keys.partitionKey(table, index);
    if (pk.isEmpty()) {
      return Optional.empty();
    }
    if (body.has("KeyConditions")) {
      return scalar(body.path("KeyConditions").path(pk.get()).path("AttributeValueList").path(0));
    }
    Matcher m = EQUALS.matcher(body.path("KeyConditionExpression").asText(""));
    while (m.find()) {
      String name = m.group(1);
      if (name.startsWith("#")) {
        name = body.path("ExpressionAttributeNames").path(name).asText(name);
      }
      if (name.equals(pk.get())) {
        return scalar(body.path("ExpressionAttributeValues").path(m.group(2)));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> scalar(JsonNode attribute) {
    for (String type : List.of("S", "N", "B")) {
      if (attribute != null && attribute.has(type)) {
        return Optional.of(attribute.get(type).asText());
      }
    }
    return Optional.empty();
  }

  // ---- S3 (REST, path-style) ----

  private List<Check> s3(AwsRequest request) {
    String path = request.rawPath();
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    int slash = trimmed.indexOf('/');
    String bucket = decode(slash < 0 ? trimmed : trimmed.substring(0, slash));
    String key = slash < 0 ? "" : decode(trimmed.substring(slash + 1));
    MultiMap<String> query = query(request);
    String method = request.method();
    if (bucket.isEmpty()) {
      return List.of(new Check("s3:ListAllMyBuckets", "*", BASE));
    }
    String bucketArn = "arn:aws:s3:::" + bucket;
    if (key.isEmpty()) {
      Map<String, List<String>> context = new LinkedHashMap<>(BASE);
      String action =
          switch (method) {
            case "PUT" -> "s3:CreateBucket";
            case "DELETE" -> "s3:DeleteBucket";
            case "POST" -> query.containsKey("delete") ? "s3:DeleteObject" : "s3:PutObject";
            default -> {
              if (query.containsKey("uploads")) {
                yield "s3:ListBucketMultipartUploads";
              } else if (query.containsKey("location")) {
                yield "s3:GetBucketLocation";
              } else if (query.containsKey("versions")) {
                yield "s3:ListBucketVersions";
              }
              context.put(
                  "s3:prefix",
                  List.of(Optional.ofNullable(query.getValue("prefix", 0)).orElse("")));
              Optional.ofNullable(query.getValue("delimiter", 0))
                  .ifPresent(d -> context.put("s3:delimiter", List.of(d)));
              yield "s3:ListBucket";
            }
          };
      // DeleteObjects names its keys in the body: authorized on the bucket's objects as a whole
      String resource = method.equals("POST") ? bucketArn + "/*" : bucketArn;
      return List.of(new Check(action, resource, context));
    }
    String objectArn = bucketArn + "/" + key;
    boolean upload = query.containsKey("uploadId");
    String action =
        switch (method) {
          case "GET", "HEAD" ->
              upload
                  ? "s3:ListMultipartUploadParts"
                  : query.containsKey("tagging") ? "s3:GetObjectTagging" : "s3:GetObject";
          case "PUT" -> query.containsKey("tagging") ? "s3:PutObjectTagging" : "s3:PutObject";
          case "POST" -> "s3:PutObject"; // create and complete a multipart upload
          case "DELETE" -> upload ? "s3:AbortMultipartUpload" : "s3:DeleteObject";
          default -> "s3:" + method;
        };
    List<Check> out = new ArrayList<>();
    out.add(new Check(action, objectArn, BASE));
    Optional<String> copySource = request.header("x-amz-copy-source");
    if (method.equals("PUT") && copySource.isPresent()) {
      String source = decode(copySource.get().replaceFirst("^/", "").replaceFirst("\\?.*$", ""));
      out.add(new Check("s3:GetObject", "arn:aws:s3:::" + source, BASE));
    }
    return out;
  }

  // ---- SNS (query protocol) ----

  private List<Check> sns(AwsRequest request) throws UnmappableRequest {
    MultiMap<String> form = new MultiMap<>();
    UrlEncoded.decodeUtf8To(new String(request.body(), StandardCharsets.UTF_8), form);
    String action = form.getValue("Action", 0);
    if (action == null) {
      throw new UnmappableRequest("no Action parameter");
    }
    String topic = Optional.ofNullable(form.getValue("TopicArn", 0)).orElse("*");
    return List.of(
        new Check("sns:" + (action.equals("PublishBatch") ? "Publish" : action), topic, BASE));
  }

  // ---- API Gateway Management API (@connections) ----

  private List<Check> connections(AwsRequest request) throws UnmappableRequest {
    String path = request.rawPath();
    int at = path.indexOf("/@connections/");
    if (at < 0) {
      throw new UnmappableRequest("not an @connections path");
    }
    String stage = path.substring(0, at).replaceFirst("^/", "");
    String id = decode(path.substring(at + "/@connections/".length()));
    return List.of(
        new Check(
            "execute-api:ManageConnections",
            arn(
                "execute-api",
                webSocketApiId
                    + "/"
                    + (stage.isEmpty() ? "live" : stage)
                    + "/"
                    + request.method()
                    + "/@connections/"
                    + id),
            BASE));
  }

  private String webSocketApiId = "*";

  /** The WebSocket API whose @connections the functions manage (its id names it in the ARN). */
  RequestActions withWebSocketApi(String apiId) {
    this.webSocketApiId = apiId;
    return this;
  }

  // ---- JSON 1.1 services: EventBridge, Secrets Manager, ECS, Firehose, Athena, Glue ----

  private List<Check> jsonTarget(String service, AwsRequest request) throws UnmappableRequest {
    String op = operation(request);
    JsonNode body = json(request);
    String action = service + ":" + op;
    return switch (action) {
      case "events:PutEvents" -> {
        Set<String> buses = new LinkedHashSet<>();
        for (JsonNode entry : body.path("Entries")) {
          buses.add(entry.path("EventBusName").asText("default"));
        }
        List<Check> out = new ArrayList<>();
        for (String bus : buses) {
          out.add(
              new Check(
                  action, bus.startsWith("arn:") ? bus : arn("events", "event-bus/" + bus), BASE));
        }
        yield out;
      }
      case "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret" ->
          List.of(new Check(action, secretArn(body.path("SecretId").asText("")), BASE));
      case "ecs:RunTask" -> runTask(body);
      case "firehose:PutRecord", "firehose:PutRecordBatch", "firehose:DescribeDeliveryStream" ->
          List.of(
              new Check(
                  action,
                  arn("firehose", "deliverystream/" + body.path("DeliveryStreamName").asText()),
                  BASE));
      default -> {
        if (service.equals("athena")) {
          yield List.of(
              new Check(
                  action,
                  arn("athena", "workgroup/" + body.path("WorkGroup").asText("primary")),
                  BASE));
        }
        if (service.equals("glue") && body.has("DatabaseName")) {
          List<Check> out = new ArrayList<>();
          out.add(new Check(action, arn("glue", "catalog"), BASE));
          out.add(
              new Check(
                  action, arn("glue", "database/" + body.get("DatabaseName").asText()), BASE));
          if (body.has("Name") || body.has("TableName")) {
            String table =
                body.has("TableName") ? body.get("TableName").asText() : body.get("Name").asText();
            out.add(
                new Check(
                    action,
                    arn("glue", "table/" + body.get("DatabaseName").asText() + "/" + table),
                    BASE));
          }
          yield out;
        }
        yield List.of(new Check(action, "*", BASE));
      }
    };
  }

  /**
   * A secret id (name, ARN, or ARN with AWS's random {@code -XXXXXX} suffix) as the template's ARN.
   */
  String secretArn(String id) {
    if (secretArnsByName.containsKey(id)) {
      return secretArnsByName.get(id);
    }
    if (secretArnsByName.containsValue(id)) {
      return id;
    }
    for (String arn : secretArnsByName.values()) {
      if (id.startsWith(arn + "-") && id.length() == arn.length() + 7) {
        return arn;
      }
    }
    // A name the template does not declare is a secret an operator created (granted with
    // Secret.fromSecretNameV2, e.g. Segmint's credentials): AWS resolves the name to its ARN, which
    // ends in a random "-XXXXXX" suffix that the template's grants match with "-??????".
    return id.startsWith("arn:")
        ? id
        : arn("secretsmanager", "secret:" + id + "-" + OPERATOR_SECRET_SUFFIX);
  }

  /** The suffix the local platform gives secrets the template does not declare (AWS: random). */
  static final String OPERATOR_SECRET_SUFFIX = "Local0";

  private List<Check> runTask(JsonNode body) {
    String definition = body.path("taskDefinition").asText("");
    String family =
        definition.startsWith("arn:")
            ? definition.substring(
                definition.indexOf("task-definition/") + "task-definition/".length())
            : definition;
    if (!family.contains(":")) {
      family = family + ":1";
    }
    String cluster = body.path("cluster").asText("default");
    Map<String, List<String>> context = new LinkedHashMap<>(BASE);
    context.put(
        "ecs:cluster",
        List.of(cluster.startsWith("arn:") ? cluster : arn("ecs", "cluster/" + cluster)));
    List<Check> out = new ArrayList<>();
    out.add(new Check("ecs:RunTask", arn("ecs", "task-definition/" + family), context));
    Set<String> passed =
        new LinkedHashSet<>(
            passedRolesByTaskFamily.getOrDefault(
                family.substring(0, family.indexOf(':')), List.of()));
    JsonNode overrides = body.path("overrides");
    for (String property : List.of("taskRoleArn", "executionRoleArn")) {
      if (overrides.has(property)) {
        passed.add(overrides.get(property).asText());
      }
    }
    for (String role : passed) {
      Map<String, List<String>> pass = new LinkedHashMap<>(BASE);
      pass.put("iam:PassedToService", List.of("ecs-tasks.amazonaws.com"));
      out.add(new Check("iam:PassRole", role, pass));
    }
    return out;
  }

  // ---- helpers ----

  private static String operation(AwsRequest request) throws UnmappableRequest {
    String target =
        request
            .header("X-Amz-Target")
            .orElseThrow(() -> new UnmappableRequest("no X-Amz-Target header"));
    int dot = target.lastIndexOf('.');
    if (dot < 0 || dot == target.length() - 1) {
      throw new UnmappableRequest("malformed X-Amz-Target");
    }
    return target.substring(dot + 1);
  }

  private static JsonNode json(AwsRequest request) throws UnmappableRequest {
    if (request.body().length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(request.body());
    } catch (IOException e) {
      throw new UnmappableRequest("the body is not JSON");
    }
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    node.fields().forEachRemaining(out::add);
    return out;
  }

  private static MultiMap<String> query(AwsRequest request) {
    MultiMap<String> query = new MultiMap<>();
    request.rawQuery().ifPresent(q -> UrlEncoded.decodeUtf8To(q, query));
    return query;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}

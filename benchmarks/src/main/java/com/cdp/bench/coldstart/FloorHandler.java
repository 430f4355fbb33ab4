package com.cdp.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The floor for cold starts: a handler that only builds the platform's DynamoDB client and makes
 * one call. Run from each function's own jar, so it pays for the same jar and SDK classes.
 */
public final class FloorHandler implements RequestHandler<Map<String, Object>, String> {
  private final DynamoDbClient dynamoDb = AwsClients.dynamoDb(AwsTarget.fromEnvironment());

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    return String.valueOf(dynamoDb.listTables(r -> r.limit(1)).tableNames().size());
  }
}

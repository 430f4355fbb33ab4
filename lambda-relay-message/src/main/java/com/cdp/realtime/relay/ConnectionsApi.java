package com.cdp.realtime.relay;

import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.ApiGatewayManagementApiException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

/**
 * Posts messages to WebSocket connections through the API Gateway Management API ({@code POST
 * /@connections/{id}}), and classifies what happened. The SDK's own retry strategy already retries
 * throttling (429) and 5xx a few times with backoff; what still fails is reported, not thrown.
 */
public final class ConnectionsApi {
  /** What became of one post. */
  public enum PostResult {
    DELIVERED,
    /** 410: the connection no longer exists. */
    GONE,
    /** 429 after the SDK's retries: try again later. */
    THROTTLED,
    /** Anything else (5xx after retries, 403, network). */
    FAILED
  }

  private final ApiGatewayManagementApiClient client;

  public ConnectionsApi(ApiGatewayManagementApiClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Closes a connection ({@code DELETE /@connections/{id}}); false when it could not be closed
   * (already gone counts as closed).
   */
  public boolean close(String connectionId) {
    try {
      client.deleteConnection(r -> r.connectionId(connectionId));
      return true;
    } catch (GoneException e) {
      return true;
    } catch (SdkException e) {
      return false;
    }
  }

  public PostResult post(String connectionId, byte[] message) {
    try {
      client.postToConnection(
          r -> r.connectionId(connectionId).data(SdkBytes.fromByteArrayUnsafe(message)));
      return PostResult.DELIVERED;
    } catch (GoneException e) {
      return PostResult.GONE;
    } catch (LimitExceededException e) {
      return PostResult.THROTTLED;
    } catch (ApiGatewayManagementApiException e) {
      return e.statusCode() == 410
          ? PostResult.GONE
          : e.statusCode() == 429 ? PostResult.THROTTLED : PostResult.FAILED;
    } catch (SdkException e) {
      return PostResult.FAILED;
    }
  }
}

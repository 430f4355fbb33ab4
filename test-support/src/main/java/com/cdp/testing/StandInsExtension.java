package com.cdp.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Starts the stand-ins once per test JVM (closed when the JVM's tests end) and injects {@link
 * StandIns}, {@link DynamoDbClient} or {@link S3Client} into test constructors and methods. Use
 * with {@code @ExtendWith(StandInsExtension.class)}.
 */
public final class StandInsExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(StandInsExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == StandIns.class || type == DynamoDbClient.class || type == S3Client.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    StandIns standIns = standIns(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == DynamoDbClient.class) {
      return standIns.dynamoDb();
    }
    if (type == S3Client.class) {
      return standIns.s3();
    }
    return standIns;
  }

  /** The JVM-wide stand-ins, started on first use. */
  public static StandIns standIns(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(StandIns.class, k -> new Closing(StandIns.start()), Closing.class)
        .standIns();
  }

  /** Lets the root store close the stand-ins after the last test. */
  private record Closing(StandIns standIns) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      standIns.close();
    }
  }
}

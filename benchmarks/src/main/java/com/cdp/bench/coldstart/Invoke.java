package com.cdp.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one cold invocation in this fresh JVM the way the Lambda Java runtime does: load the handler
 * class, build it with its public no-argument constructor (the production path: configuration from
 * the environment), deserialize the event with AWS's own event serializers, invoke once. Prints the
 * milliseconds since JVM start when the handler is built ({@code CONSTRUCTED}: the init phase that
 * SnapStart snapshots) and when the invocation returns ({@code INVOKED}).
 *
 * <p>Usage: {@code Invoke pkg.Handler::handleRequest event.json}
 */
public final class Invoke {
  private Invoke() {}

  public static void main(String[] args) throws Exception {
    String[] handler = args[0].split("::");
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Class<?> type = Class.forName(handler[0], true, loader);
    Object instance = type.getConstructor().newInstance();
    System.out.println("CONSTRUCTED " + sinceJvmStart());
    Context context = new com.cdp.testing.TestLambdaContext(type.getSimpleName());
    Object result;
    if (instance instanceof RequestStreamHandler stream) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      stream.handleRequest(new ByteArrayInputStream(event), out, context);
      result = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    } else {
      String methodName = handler.length > 1 ? handler[1] : "handleRequest";
      Method method = null;
      for (Method m : type.getMethods()) {
        if (m.getName().equals(methodName) && m.getParameterCount() == 2 && !m.isBridge()) {
          method = m;
        }
      }
      if (method == null) {
        throw new IllegalArgumentException("no " + methodName + "(event, Context) on " + type);
      }
      Class<?> input = method.getParameterTypes()[0];
      Object parsed = serializer(input, loader).fromJson(new ByteArrayInputStream(event));
      result = method.invoke(instance, parsed, context);
    }
    long sinceStart = sinceJvmStart();
    String shown = String.valueOf(result).replaceAll("\\s+", " ");
    System.out.println("RESULT " + (shown.length() > 300 ? shown.substring(0, 300) : shown));
    System.out.println("INVOKED " + sinceStart);
    System.exit(0);
  }

  private static long sinceJvmStart() {
    return System.currentTimeMillis()
        - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  @SuppressWarnings("unchecked")
  private static PojoSerializer<Object> serializer(Class<?> input, ClassLoader loader) {
    if (LambdaEventSerializers.isLambdaSupportedEvent(input.getName())) {
      return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(input, loader);
    }
    return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(input);
  }
}

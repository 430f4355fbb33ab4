package com.cdp.infra;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Builds the platform's Lambda functions the same way: Java 17 on arm64, the module's shaded jar,
 * the platform environment variables, a log group with the environment's retention, X-Ray tracing,
 * the reserved concurrency the environment configures for the function (if any), and a {@code live}
 * alias that triggers point at.
 */
public final class PlatformFunction {
  private PlatformFunction() {}

  /** What differs between functions. */
  public record Spec(
      String id,
      String module,
      String handler,
      int memoryMb,
      Duration timeout,
      Map<String, String> environment) {}

  public record Deployed(Function function, Alias alias) {}

  public static Deployed create(Construct scope, PlatformStack stack, Spec spec) {
    Map<String, String> env = new HashMap<>(stack.commonEnvironment());
    env.putAll(spec.environment());
    LogGroup logs =
        LogGroup.Builder.create(scope, spec.id() + "Logs")
            .retention(retention(stack.config().logRetentionDays()))
            .build();
    OptionalInt reserved = stack.config().reservedConcurrency(name(spec.module()));
    Function.Builder builder =
        Function.Builder.create(scope, spec.id())
            .runtime(Runtime.JAVA_17)
            .architecture(Architecture.ARM_64)
            .code(stack.code().of(spec.module()))
            .handler(spec.handler())
            .memorySize(spec.memoryMb())
            .timeout(spec.timeout())
            .environment(env)
            .tracing(Tracing.ACTIVE)
            // SnapStart restores published versions from a snapshot: the alias below points at one.
            // It is also the cold-start answer of the request/response functions: Lambda SnapStart
            // does not support provisioned concurrency (AWS Lambda Developer Guide, "Improving
            // startup performance with Lambda SnapStart", section "Supported features and
            // limitations": https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html), so the
            // alias gets none.
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .logGroup(logs)
            .description(spec.module() + " (" + stack.config().name() + ")");
    // A cap for asynchronously invoked functions (EnvironmentConfig refuses one for the others):
    // events beyond it wait in Lambda's queue and are retried until their maximum age.
    reserved.ifPresent(builder::reservedConcurrentExecutions);
    Function function = builder.build();
    Alias alias =
        Alias.Builder.create(scope, spec.id() + "Live")
            .aliasName("live")
            .version(function.getCurrentVersion())
            .build();
    if (reserved.isPresent()) {
      stack.monitoring().cappedFunction(spec.id(), function);
    } else {
      stack.monitoring().function(spec.id(), function);
    }
    if (stack.logging() != null) {
      stack.logging().grantPublish(function);
    }
    return new Deployed(function, alias);
  }

  /**
   * The function's name in {@link com.cdp.model.wiring.Triggers.Functions} (and in the
   * environment's {@code reservedConcurrency}): the module without its {@code lambda-} prefix.
   */
  static String name(String module) {
    return module.startsWith("lambda-") ? module.substring("lambda-".length()) : module;
  }

  /** The shortest CloudWatch retention that keeps logs at least {@code days}. */
  public static RetentionDays retention(int days) {
    int[] allowed = {
      1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
      3288, 3653
    };
    RetentionDays[] values = {
      RetentionDays.ONE_DAY, RetentionDays.THREE_DAYS, RetentionDays.FIVE_DAYS,
          RetentionDays.ONE_WEEK,
      RetentionDays.TWO_WEEKS, RetentionDays.ONE_MONTH, RetentionDays.TWO_MONTHS,
          RetentionDays.THREE_MONTHS,
      RetentionDays.FOUR_MONTHS, RetentionDays.FIVE_MONTHS, RetentionDays.SIX_MONTHS,
          RetentionDays.ONE_YEAR,
      RetentionDays.THIRTEEN_MONTHS, RetentionDays.EIGHTEEN_MONTHS, RetentionDays.TWO_YEARS,
          RetentionDays.THREE_YEARS,
      RetentionDays.FIVE_YEARS, RetentionDays.SIX_YEARS, RetentionDays.SEVEN_YEARS,
          RetentionDays.EIGHT_YEARS,
      RetentionDays.NINE_YEARS, RetentionDays.TEN_YEARS
    };
    for (int i = 0; i < allowed.length; i++) {
      if (allowed[i] >= days) {
        return values[i];
      }
    }
    return RetentionDays.TEN_YEARS;
  }
}

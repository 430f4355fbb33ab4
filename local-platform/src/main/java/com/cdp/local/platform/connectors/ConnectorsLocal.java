package com.cdp.local.platform.connectors;

import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
import com.cdp.local.runtime.FunctionPool;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.wiring.Triggers;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scheduled and event-driven Connector Hub calls on the local platform, run from the template: this
 * area claims the call-connector function, so the platform fires its EventBridge Scheduler
 * schedules and runs its event rules (input transformer, retry policy) as the template declares
 * them (built from {@code config/schedules.json} for {@code local}), invoking the function from its
 * {@code -lambda.jar} against the Connector Hub simulator (which records every call: {@code ./cdp
 * hub calls}). A failed asynchronous invocation is retried as the function's invoke configuration
 * says, then recorded in its on-failure destination ({@link #deadLetters}).
 *
 * <p>The area also serves Lambda's {@code Invoke} API for the function at {@link #INVOKE_PATH}
 * ({@code ./cdp hub run SCHEDULE}, or {@code aws lambda invoke --endpoint-url ...}).
 */
public final class ConnectorsLocal implements LocalService {
  public static final String INVOKE_PATH =
      "/2015-03-31/functions/" + Triggers.Functions.CALL_CONNECTOR + "/invocations";

  /** Lambda's limit of an asynchronous invocation's payload (the smaller one). */
  static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  private LocalPlatform platform;

  @Override
  public String name() {
    return "connectors";
  }

  @Override
  public List<String> templateFunctions() {
    return List.of(Triggers.Functions.CALL_CONNECTOR);
  }

  @Override
  public void start(LocalPlatform platform) {
    this.platform = platform;
    platform.gateway().servlet(INVOKE_PATH, new InvokeServlet());
  }

  /** The template's schedules of the call-connector function that this platform fires. */
  public static List<LocalTemplate.Schedule> schedules(LocalPlatform platform) {
    String arn = platform.function(Triggers.Functions.CALL_CONNECTOR).arn();
    return platform.schedules().stream()
        .filter(
            s ->
                platform
                    .template()
                    .function(s.target().arn())
                    .map(f -> f.arn().equals(arn))
                    .orElse(false))
        .toList();
  }

  /** The file of the function's on-failure destination (its dead-letter queue). */
  public static Path deadLetters(LocalPlatform platform) {
    LocalTemplate.Function f = platform.function(Triggers.Functions.CALL_CONNECTOR);
    return platform
        .functions()
        .destinationFile(
            f.async()
                .onFailure()
                .orElseThrow(
                    () ->
                        new IllegalStateException("call-connector has no on-failure destination")));
  }

  /**
   * Lambda's Invoke API for this function: {@code RequestResponse} (default) answers the result, or
   * a function error with {@code X-Amz-Function-Error}; {@code Event} answers 202 and runs it
   * asynchronously with the function's retry policy.
   */
  private final class InvokeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      byte[] payload = request.getInputStream().readNBytes(MAX_PAYLOAD_BYTES + 1);
      response.setContentType("application/json");
      if (payload.length > MAX_PAYLOAD_BYTES) {
        // Lambda's answer to an oversized request payload.
        response.setStatus(413);
        response
            .getOutputStream()
            .write(
                ("{\"Type\":\"User\",\"message\":\"Request must be smaller than "
                        + MAX_PAYLOAD_BYTES
                        + " bytes for the InvokeFunction operation\","
                        + "\"__type\":\"RequestTooLargeException\"}")
                    .getBytes(StandardCharsets.UTF_8));
        return;
      }
      if ("Event".equalsIgnoreCase(request.getHeader("X-Amz-Invocation-Type"))) {
        platform.invokeAsync(Triggers.Functions.CALL_CONNECTOR, payload);
        response.setStatus(202);
        return;
      }
      InvocationResult result;
      try {
        result = platform.invoke(Triggers.Functions.CALL_CONNECTOR, payload);
      } catch (FunctionPool.TooManyRequestsException e) {
        response.setStatus(429);
        response.getOutputStream().write(e.body().getBytes(StandardCharsets.UTF_8));
        return;
      }
      response.setStatus(200);
      result.functionError().ifPresent(error -> response.setHeader("X-Amz-Function-Error", error));
      response.getOutputStream().write(result.payload());
    }
  }

  @Override
  public List<String> hints(LocalPlatform platform) {
    List<String> hints = new ArrayList<>();
    for (LocalTemplate.Schedule s : schedules(platform)) {
      hints.add(
          "schedule: "
              + s.name()
              + " "
              + s.expression()
              + " -> "
              + s.target().input().orElse("{}"));
    }
    hints.add("hub:      ./cdp hub calls   |   ./cdp hub schedules   |   ./cdp hub run SCHEDULE");
    return hints;
  }
}

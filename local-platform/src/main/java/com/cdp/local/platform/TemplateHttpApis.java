package com.cdp.local.platform;

import com.cdp.local.api.HttpApiRouter;
import com.cdp.local.api.HttpPayloads;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.LocalTemplate;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's HTTP APIs on the local gateway: each request is matched to a route as API Gateway
 * matches it, becomes a payload format 2.0 event for the route's function, and the function's
 * answer becomes the response ({@link HttpPayloads}).
 *
 * <p>Which API a request reaches follows its Host. An API with custom domains in the template (e.g.
 * the short links on {@code localhost} and {@code *.localhost}) serves every route on those hosts,
 * and requests to those hosts reach no other API. Any other host (the gateway's own address) stands
 * for every API's {@code execute-api} endpoint at once; since in AWS those are separate hosts, a
 * route whose path starts with a variable ({@code GET /{code}}) or {@code $default} would there
 * capture the other APIs' paths, so such routes answer only on their API's custom domains.
 */
public final class TemplateHttpApis {
  private static final Logger LOG = LoggerFactory.getLogger(TemplateHttpApis.class);

  /**
   * Invokes a route's function synchronously; a throttled invocation is a result whose {@link
   * InvocationResult#throttled()} is true.
   */
  @FunctionalInterface
  public interface Invoker {
    InvocationResult invoke(String functionArn, byte[] payload);

    /** The platform's synchronous invoke (its function pool), throttled as Lambda throttles. */
    static Invoker of(LocalPlatform platform) {
      return of((arn, payload) -> platform.invoke(arn, payload));
    }

    /** {@code invoker} with Lambda's throttling error turned into a throttled result. */
    static Invoker of(Invoker invoker) {
      return (arn, payload) -> {
        try {
          return invoker.invoke(arn, payload);
        } catch (com.cdp.local.runtime.FunctionPool.TooManyRequestsException e) {
          return InvocationResult.throttled(e);
        }
      };
    }
  }

  private record Served(
      LocalTemplate.Api api, HttpApiRouter onDomains, HttpApiRouter onSharedHost) {}

  private final List<Served> apis = new ArrayList<>();
  private final Invoker invoker;

  /** The HTTP APIs of {@code template}, invoking their functions through {@code invoker}. */
  public TemplateHttpApis(List<LocalTemplate.Api> httpApis, Invoker invoker) {
    this.invoker = Objects.requireNonNull(invoker, "invoker");
    for (LocalTemplate.Api api : httpApis) {
      if (!api.protocol().equals("HTTP")) {
        continue;
      }
      List<LocalTemplate.Route> shared =
          api.routes().stream().filter(r -> !capturesOtherApis(r.routeKey())).toList();
      apis.add(
          new Served(
              api,
              new HttpApiRouter(api),
              new HttpApiRouter(
                  new LocalTemplate.Api(
                      api.logicalId(),
                      api.name(),
                      api.protocol(),
                      api.routeSelectionExpression(),
                      shared,
                      api.domains()))));
    }
  }

  /**
   * The template's HTTP API routes that invoke the function built from {@code lambda-FUNCTION},
   * served through the platform's pool: how an area hands its API to the gateway.
   */
  public static TemplateHttpApis ofFunction(LocalPlatform platform, String function) {
    LocalTemplate.Function target =
        platform.template().functions().stream()
            .filter(f -> f.module().orElse("").equals("lambda-" + function))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the local template has no " + function));
    return new TemplateHttpApis(routesOf(platform.template().apis(), target), Invoker.of(platform));
  }

  /** The HTTP APIs with only their routes that invoke {@code function}. */
  static List<LocalTemplate.Api> routesOf(
      List<LocalTemplate.Api> apis, LocalTemplate.Function function) {
    return apis.stream()
        .filter(a -> a.protocol().equals("HTTP"))
        .map(
            a ->
                new LocalTemplate.Api(
                    a.logicalId(),
                    a.name(),
                    a.protocol(),
                    a.routeSelectionExpression(),
                    a.routes().stream()
                        .filter(
                            r ->
                                LocalTemplate.functionName(r.functionArn()).equals(function.name()))
                        .toList(),
                    a.domains()))
        .filter(a -> !a.routes().isEmpty())
        .toList();
  }

  private static boolean capturesOtherApis(String routeKey) {
    if (routeKey.equals("$default")) {
      return true;
    }
    int slash = routeKey.indexOf(" /");
    return slash >= 0 && routeKey.startsWith("{", slash + 2);
  }

  /** Whether {@code host} is one of the API's custom domains ({@code *.d} matches subdomains). */
  static boolean onDomain(LocalTemplate.Api api, String host) {
    for (String domain : api.domains()) {
      String d = domain.toLowerCase(Locale.ROOT);
      if (d.startsWith("*.") ? host.endsWith(d.substring(1)) : host.equals(d)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Serves the request if a route of one of the APIs matches it; false if none does (the caller
   * answers, e.g. 404).
   */
  boolean serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String host = LocalGateway.hostWithoutPort(request.getHeader("Host"));
    String path = request.getRequestURI();
    List<Served> onDomain = apis.stream().filter(s -> onDomain(s.api(), host)).toList();
    Optional<HttpApiRouter.Match> match = Optional.empty();
    Served chosen = null;
    for (Served s : onDomain.isEmpty() ? apis : onDomain) {
      HttpApiRouter router = onDomain.isEmpty() ? s.onSharedHost() : s.onDomains();
      match = router.match(request.getMethod(), path);
      if (match.isPresent()) {
        chosen = s;
        break;
      }
    }
    if (match.isEmpty()) {
      return false;
    }
    byte[] body = request.getInputStream().readNBytes(LocalGateway.MAX_BODY_BYTES + 1);
    if (body.length > LocalGateway.MAX_BODY_BYTES) {
      write(response, HttpPayloads.TOO_LARGE);
      return true;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    HttpPayloads.Request req =
        new HttpPayloads.Request(
            request.getMethod(),
            path,
            request.getQueryString(),
            headers,
            body,
            request.getProtocol(),
            request.getRemoteAddr(),
            host);
    String requestId = UUID.randomUUID().toString();
    byte[] event =
        HttpPayloads.event(req, match.get(), chosen.api().name(), requestId, Instant.now())
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    InvocationResult result = invoker.invoke(match.get().route().functionArn(), event);
    if (result.failed() && !result.throttled()) {
      // The caller sees API Gateway's bare 500; the error stays in the function's log.
      LOG.warn(
          "{} {} -> {} failed (request {})",
          request.getMethod(),
          path,
          LocalTemplate.functionName(match.get().route().functionArn()),
          result.requestId());
    }
    write(response, HttpPayloads.response(result));
    return true;
  }

  private static void write(HttpServletResponse response, HttpPayloads.Response r)
      throws IOException {
    response.setStatus(r.status());
    for (Map.Entry<String, String> h : r.headers()) {
      response.addHeader(h.getKey(), h.getValue());
    }
    if (r.body().length > 0) {
      response.getOutputStream().write(r.body());
    }
  }
}

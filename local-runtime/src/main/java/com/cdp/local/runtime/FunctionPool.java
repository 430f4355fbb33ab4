package com.cdp.local.runtime;

import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs the template's functions as Lambda does: each execution environment is a JVM started from
 * the function's own artifact with the Runtime Interface Client, the template's handler and
 * resolved environment, Lambda's reserved variables, the local endpoints and credentials of its
 * own. A warm JVM serves later invocations; concurrent ones start more, up to the function's
 * reserved concurrency or the local cap; idle JVMs stop. Asynchronous invocations are retried as
 * the function's invoke configuration says and then written to its on-failure destination.
 */
public final class FunctionPool implements AutoCloseable {
  private static final String RIC_MAIN =
      "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  /**
   * How the pool runs functions.
   *
   * @param ricClasspath the Runtime Interface Client's jars (local-runtime's {@code
   *     ric-classpath.txt})
   * @param endpoints environment variables every function gets for the local services ({@code
   *     AWS_ENDPOINT_URL_DYNAMODB=...})
   * @param logsDir one {@code NAME.log} per function (stdout, stderr and the platform's lines)
   * @param destinationsDir one {@code NAME.ndjson} per on-failure destination
   * @param localConcurrency environments per function when the template reserves none
   * @param idleTimeout an environment unused this long is stopped
   * @param initTimeout how long a cold start may take before its first invocation fails
   * @param retryDelays waits between asynchronous attempts (Lambda: about 1 and 2 minutes)
   */
  public record Settings(
      String ricClasspath,
      Map<String, String> endpoints,
      Path logsDir,
      Path destinationsDir,
      int localConcurrency,
      Duration idleTimeout,
      Duration initTimeout,
      List<Duration> retryDelays) {
    public Settings {
      endpoints = Map.copyOf(endpoints);
      retryDelays = List.copyOf(retryDelays);
      if (localConcurrency < 1) {
        throw new IllegalArgumentException("localConcurrency must be at least 1");
      }
    }

    /** The defaults of {@code ./cdp local}: 2 environments, 5 idle minutes, 1 s and 2 s retries. */
    public static Settings defaults(
        String ricClasspath, Map<String, String> endpoints, Path dataDir) {
      return new Settings(
          ricClasspath,
          endpoints,
          dataDir.resolve("functions"),
          dataDir.resolve("destinations"),
          2,
          Duration.ofMinutes(5),
          Duration.ofSeconds(60),
          List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }
  }

  private final Settings settings;
  private final String region;
  private final RuntimeApi api = new RuntimeApi();
  private final Map<LocalTemplate.Function, Environments> byFunction = new ConcurrentHashMap<>();
  private final ExecutorService async =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "async-invoke");
            t.setDaemon(true);
            return t;
          });
  private final ScheduledExecutorService reaper =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "idle-functions");
            t.setDaemon(true);
            return t;
          });
  private final Path nativeClient;
  private final byte[] credentialSeed =
      UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);

  public FunctionPool(Settings settings, String region) {
    this.settings = settings;
    this.region = region;
    try {
      Files.createDirectories(settings.logsDir());
      Files.createDirectories(settings.destinationsDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.nativeClient = unpackNativeClient(settings.ricClasspath());
    long period = Math.max(1, Math.min(30, settings.idleTimeout().toSeconds() / 2));
    reaper.scheduleWithFixedDelay(this::stopIdle, period, period, TimeUnit.SECONDS);
  }

  /**
   * The RIC's JNI library, unpacked once for this pool. Left to itself, every RIC JVM copies it to
   * the fixed path {@code /tmp/.libaws-lambda-jni.so}, replacing the file while JVMs starting at
   * the same moment map it: they die with SIGBUS in the dynamic loader (seen here with two cold
   * starts at once). The RIC loads the file named by its {@code NativeClient.JNI} property instead.
   */
  private static Path unpackNativeClient(String ricClasspath) {
    String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "aarch_64" : "x86_64";
    boolean musl;
    try (java.util.stream.Stream<Path> lib = Files.list(Path.of("/lib"))) {
      musl = lib.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl"));
    } catch (IOException e) {
      musl = false;
    }
    String entry = "jni/libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + arch + ".so";
    for (String jar : ricClasspath.split(File.pathSeparator)) {
      if (!jar.contains("runtime-interface-client")) {
        continue;
      }
      try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
        java.util.jar.JarEntry so = file.getJarEntry(entry);
        if (so == null) {
          throw new IllegalStateException(jar + " has no " + entry);
        }
        Path dir = Files.createTempDirectory("cdp-ric");
        Path target = dir.resolve("libaws-lambda-jni.so");
        try (java.io.InputStream in = file.getInputStream(so)) {
          Files.copy(in, target);
        }
        dir.toFile().deleteOnExit();
        target.toFile().deleteOnExit();
        return target;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot unpack the RIC's native client from " + jar, e);
      }
    }
    throw new IllegalStateException(
        "the Runtime Interface Client jar is not on the RIC classpath: " + ricClasspath);
  }

  /**
   * An invocation that waits for a free environment as long as it takes (the asynchronous queue's
   * way, and {@code ./cdp functions invoke}): the function's result or its error.
   */
  public InvocationResult invoke(LocalTemplate.Function function, byte[] payload) {
    return environments(function).invoke(payload, -1, UUID.randomUUID().toString());
  }

  /**
   * A synchronous invocation as Lambda's Invoke API answers it (API routes): when the function's
   * {@code ReservedConcurrentExecutions} are all busy it is throttled at once, as in Lambda. The
   * local cap of environments per function is no Lambda limit but this machine's: an invocation
   * waits up to the function's timeout for a free one, then is throttled too.
   *
   * @throws TooManyRequestsException when throttled (Lambda's HTTP 429)
   */
  public InvocationResult invokeSync(LocalTemplate.Function function, byte[] payload) {
    long waitMs =
        function.reservedConcurrency().isPresent() ? 0 : function.timeoutSeconds() * 1000L;
    return environments(function).invoke(payload, waitMs, UUID.randomUUID().toString());
  }

  /** Lambda's throttling error ({@code TooManyRequestsException}, HTTP 429). */
  public static final class TooManyRequestsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    TooManyRequestsException(String function, String reason) {
      super("Rate Exceeded. (" + function + ": " + reason + ")");
      this.reason = reason;
    }

    /** Lambda's {@code Reason}, e.g. {@code ReservedFunctionConcurrentInvocationLimitExceeded}. */
    public String reason() {
      return reason;
    }

    /** The error document Lambda's Invoke API returns with the 429. */
    public String body() {
      return Json.mapper()
          .createObjectNode()
          .put("Reason", reason)
          .put("Type", "User")
          .put("message", "Rate Exceeded.")
          .put("__type", "TooManyRequestsException")
          .toString();
    }
  }

  /**
   * An asynchronous invocation (S3, EventBridge, Scheduler): attempted once plus the function's
   * {@code MaximumRetryAttempts} while the event is younger than {@code MaximumEventAgeInSeconds},
   * then recorded in the on-failure destination. The future completes with the last result.
   */
  public CompletableFuture<InvocationResult> invokeAsync(
      LocalTemplate.Function function, byte[] payload) {
    Instant received = Instant.now();
    return CompletableFuture.supplyAsync(
        () -> {
          LocalTemplate.AsyncConfig config = function.async();
          InvocationResult last = null;
          int attempts = 0;
          // As Lambda does, every attempt of one event runs under the event's request id.
          String requestId = UUID.randomUUID().toString();
          String condition = "RetriesExhausted";
          while (attempts <= config.maximumRetryAttempts()) {
            if (Duration.between(received, Instant.now()).toSeconds()
                > config.maximumEventAgeSeconds()) {
              condition = "EventAgeExceeded";
              break;
            }
            if (attempts > 0) {
              sleep(retryDelay(attempts - 1));
            }
            attempts++;
            last = environments(function).invoke(payload, -1, requestId);
            if (!last.failed()) {
              return last;
            }
          }
          if (last != null) {
            onFailure(function, payload, last, attempts, condition);
          }
          return last;
        },
        async);
  }

  /** The process ids of the function's running environments (for tests and the status line). */
  public List<Long> pids(LocalTemplate.Function function) {
    Environments e = byFunction.get(function);
    return e == null ? List.of() : e.pids();
  }

  /**
   * The process ids of the environments working on an invocation right now, by function name: the
   * chaos harness kills one of them mid-invocation, as a crashed Lambda sandbox.
   */
  public Map<String, List<Long>> busyPids() {
    Map<String, List<Long>> busy = new java.util.TreeMap<>();
    byFunction.forEach(
        (f, e) -> {
          List<Long> pids = e.busyPids();
          if (!pids.isEmpty()) {
            busy.merge(
                f.name(),
                pids,
                (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
          }
        });
    return busy;
  }

  /** The function's log file. */
  public Path logFile(LocalTemplate.Function function) {
    return settings.logsDir().resolve(function.name() + ".log");
  }

  /** The NDJSON file an on-failure destination's records go to. */
  public Path destinationFile(String destinationArn) {
    String name =
        destinationArn.substring(
            Math.max(destinationArn.lastIndexOf(':'), destinationArn.lastIndexOf('/')) + 1);
    return settings.destinationsDir().resolve(name + ".ndjson");
  }

  @Override
  public void close() {
    reaper.shutdownNow();
    async.shutdownNow();
    byFunction.values().forEach(Environments::stopAll);
    api.close();
  }

  private Duration retryDelay(int retry) {
    List<Duration> delays = settings.retryDelays();
    return delays.isEmpty() ? Duration.ZERO : delays.get(Math.min(retry, delays.size() - 1));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void onFailure(
      LocalTemplate.Function function,
      byte[] payload,
      InvocationResult last,
      int attempts,
      String condition) {
    if (function.async().onFailure().isEmpty()) {
      return;
    }
    // The record Lambda sends to an on-failure destination.
    ObjectNode record = Json.mapper().createObjectNode();
    record.put("version", "1.0");
    record.put("timestamp", Instant.now().toString());
    ObjectNode request = record.putObject("requestContext");
    request.put("requestId", last.requestId());
    request.put("functionArn", function.arn() + ":$LATEST");
    request.put("condition", condition);
    request.put("approximateInvokeCount", attempts);
    record.set("requestPayload", jsonOrText(payload));
    ObjectNode response = record.putObject("responseContext");
    response.put("statusCode", 200);
    response.put("executedVersion", "$LATEST");
    response.put("functionError", last.functionError().orElse("Unhandled"));
    record.set("responsePayload", jsonOrText(last.payload()));
    Path file = destinationFile(function.async().onFailure().get());
    synchronized (this) {
      try {
        Files.writeString(
            file, record + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the on-failure record to " + file, e);
      }
    }
  }

  private static JsonNode jsonOrText(byte[] bytes) {
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException e) {
      return Json.mapper().getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  private void stopIdle() {
    byFunction.values().forEach(e -> e.stopIdle(settings.idleTimeout()));
  }

  private Environments environments(LocalTemplate.Function function) {
    // Keyed by the whole definition: a changed template never reuses a JVM started from the old
    // one.
    return byFunction.computeIfAbsent(function, f -> new Environments(f));
  }

  // The IAM front door's credentials for the function's execution role, when it is in front.
  private volatile java.util.function.Function<
          LocalTemplate.Function, Optional<Map<String, String>>>
      roleCredentials = f -> Optional.empty();

  /**
   * Functions sign as their execution role with the credentials this source gives (the IAM front
   * door's, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN});
   * functions it has none for keep the pool's own throwaway key. Set before the first invocation.
   */
  public void signAsRoles(
      java.util.function.Function<LocalTemplate.Function, Optional<Map<String, String>>> source) {
    this.roleCredentials = java.util.Objects.requireNonNull(source, "source");
  }

  /** The credentials a function's JVM signs with: its own key id, stable for the pool's life. */
  public Map<String, String> credentials(LocalTemplate.Function function) {
    Optional<Map<String, String>> role = roleCredentials.apply(function);
    if (role.isPresent()) {
      return role.get();
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(credentialSeed);
      byte[] digest = sha.digest(function.name().getBytes(StandardCharsets.UTF_8));
      String hex = HexFormat.of().withUpperCase().formatHex(digest);
      return Map.of(
          "AWS_ACCESS_KEY_ID", "ASIALOCAL" + hex.substring(0, 11),
          "AWS_SECRET_ACCESS_KEY", hex.substring(11, 51),
          "AWS_SESSION_TOKEN", "local-" + function.name());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The environments of one function and its concurrency limit. */
  private final class Environments {
    private final LocalTemplate.Function function;
    private final Semaphore concurrency;
    private final Deque<FunctionInstance> idle = new ArrayDeque<>();
    private final List<FunctionInstance> all = new ArrayList<>();

    Environments(LocalTemplate.Function function) {
      this.function = function;
      this.concurrency =
          new Semaphore(function.reservedConcurrency().orElse(settings.localConcurrency()), true);
    }

    /** {@code waitMs} below 0: wait for an environment as long as it takes. */
    InvocationResult invoke(byte[] payload, long waitMs, String requestId) {
      try {
        if (waitMs < 0) {
          concurrency.acquire();
        } else if (!concurrency.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
          log("throttled: every environment is busy (" + requestId + ")");
          throw new TooManyRequestsException(
              function.name(),
              function.reservedConcurrency().isPresent()
                  ? "ReservedFunctionConcurrentInvocationLimitExceeded"
                  : "ConcurrentInvocationLimitExceeded");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return InvocationResult.error(requestId, "Runtime.Interrupted", "interrupted");
      }
      try {
        FunctionInstance instance = take();
        if (instance == null) {
          instance = start();
          if (instance == null) {
            return InvocationResult.error(
                requestId,
                "Runtime.InvalidEntrypoint",
                "the function's code is missing: "
                    + function.code().map(Path::toString).orElse("no asset"));
          }
        }
        log("START RequestId: " + requestId + " Version: $LATEST");
        long started = System.nanoTime();
        InvocationResult result =
            instance.invoke(
                new Invocation(
                    requestId,
                    payload,
                    "Root=1-"
                        + Long.toHexString(System.currentTimeMillis() / 1000)
                        + "-"
                        + requestId.replace("-", "").substring(0, 24)
                        + ";Sampled=0"),
                settings.initTimeout());
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (result.failed()) {
          log(requestId + " ERROR " + result.payloadText());
        }
        log("END RequestId: " + requestId);
        log(
            "REPORT RequestId: "
                + requestId
                + " Duration: "
                + ms
                + " ms Memory Size: "
                + function.memoryMb()
                + " MB");
        give(instance);
        return result;
      } finally {
        concurrency.release();
      }
    }

    private synchronized FunctionInstance take() {
      while (!idle.isEmpty()) {
        FunctionInstance instance = idle.pollFirst();
        if (instance.usable()) {
          return instance;
        }
        all.remove(instance);
      }
      return null;
    }

    private synchronized void give(FunctionInstance instance) {
      if (instance.usable()) {
        idle.addFirst(instance);
      } else {
        instance.kill();
        all.remove(instance);
      }
    }

    synchronized List<Long> pids() {
      return all.stream().filter(FunctionInstance::usable).map(FunctionInstance::pid).toList();
    }

    synchronized List<Long> busyPids() {
      return all.stream().filter(FunctionInstance::busy).map(FunctionInstance::pid).toList();
    }

    synchronized void stopIdle(Duration timeout) {
      for (FunctionInstance instance : List.copyOf(idle)) {
        if (instance.idleNanos() > timeout.toNanos()) {
          idle.remove(instance);
          all.remove(instance);
          instance.kill();
          log("the idle environment (pid " + instance.pid() + ") stopped");
        }
      }
    }

    synchronized void stopAll() {
      all.forEach(FunctionInstance::kill);
      all.clear();
      idle.clear();
    }

    private FunctionInstance start() {
      if (function.code().isEmpty() || !Files.isRegularFile(function.code().get())) {
        return null;
      }
      FunctionInstance instance = new FunctionInstance(function);
      int port = api.open(instance);
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // The JVM sees the function's memory as the machine's, as in a Lambda sandbox: the heap
      // and every other default sizing follow MemorySize.
      command.add("-XX:MaxRAM=" + function.memoryMb() + "m");
      command.add(
          "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
              + nativeClient);
      command.add("-cp");
      command.add(function.code().get() + File.pathSeparator + settings.ricClasspath());
      command.add(RIC_MAIN);
      command.add(function.handler());
      ProcessBuilder builder = new ProcessBuilder(command);
      Map<String, String> env = builder.environment();
      String path = env.get("PATH");
      env.clear();
      if (path != null) {
        env.put("PATH", path);
      }
      env.put("LANG", "en_US.UTF-8");
      env.put("TZ", ":UTC");
      env.putAll(settings.endpoints());
      env.putAll(function.environment());
      env.putAll(credentials(function));
      env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + port);
      env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
      env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
      env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
      env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
      env.put(
          "AWS_LAMBDA_LOG_STREAM_NAME",
          java.time.LocalDate.now() + "/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
      env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
      env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
      env.put("AWS_REGION", region);
      env.put("AWS_DEFAULT_REGION", region);
      env.put("_HANDLER", function.handler());
      env.put("LAMBDA_TASK_ROOT", function.code().get().getParent().toString());
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(function).toFile()));
      try {
        log("INIT_START Runtime Version: " + function.runtime() + " (local) pid will follow");
        Process process = builder.start();
        instance.started(process);
        log("INIT pid " + process.pid() + " handler " + function.handler());
      } catch (IOException e) {
        instance.kill();
        throw new UncheckedIOException("cannot start a JVM for " + function.name(), e);
      }
      synchronized (this) {
        all.add(instance);
      }
      return instance;
    }

    private void log(String line) {
      synchronized (FunctionPool.this) {
        try {
          Files.writeString(
              logFile(function),
              Instant.now() + " " + line + "\n",
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        } catch (IOException e) {
          // the log is best effort; the invocation's result does not depend on it
        }
      }
    }
  }
}

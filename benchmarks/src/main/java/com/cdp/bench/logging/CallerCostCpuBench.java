package com.cdp.bench.logging;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The workloads of {@link RequestLogBenchmark}, timed in <b>thread CPU time</b> and interleaved
 * round by round, so the comparison holds on a loaded, shared machine where JMH's wall-clock times
 * mostly measure how long the thread waited for a core. Prints the median CPU nanoseconds per
 * operation of each workload over the measured rounds and its ratio to the Jackson baselines.
 *
 * <p>Run: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * com.cdp.bench.logging.CallerCostCpuBench [rounds] [warm-up rounds]}
 */
public final class CallerCostCpuBench {
  private static volatile long sink;

  private CallerCostCpuBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    RequestLogBenchmark b = new RequestLogBenchmark();
    b.setUp();
    Map<String, Callable<Object>> workloads = new LinkedHashMap<>();
    workloads.put("addEvent (1 event, 3 detail values)", b::addEvent);
    workloads.put("request via PlatformLogger", b::request_platformLogger);
    workloads.put("same JSON, Jackson tree", b::request_jacksonTree);
    workloads.put("same JSON, Jackson streaming", b::request_jacksonStreaming);
    Map<String, Integer> ops =
        Map.of(
            "addEvent (1 event, 3 detail values)", 50_000,
            "request via PlatformLogger", 10_000,
            "same JSON, Jackson tree", 10_000,
            "same JSON, Jackson streaming", 10_000);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> samples = new LinkedHashMap<>();
    workloads.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
    for (int round = 0; round < warmup + rounds; round++) {
      for (Map.Entry<String, Callable<Object>> w : workloads.entrySet()) {
        int n = ops.get(w.getKey());
        long cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          Object result = w.getValue().call();
          sink += result == null ? 0 : result.hashCode();
        }
        double perOp = (threads.getCurrentThreadCpuTime() - cpu) / (double) n;
        if (round >= warmup) {
          samples.get(w.getKey()).add(perOp);
        }
      }
    }
    double tree = median(samples.get("same JSON, Jackson tree"));
    double streaming = median(samples.get("same JSON, Jackson streaming"));
    for (Map.Entry<String, List<Double>> s : samples.entrySet()) {
      double m = median(s.getValue());
      System.out.printf(
          "RESULT %-38s %9.0f ns CPU/op   x%.2f vs Jackson tree   x%.2f vs Jackson streaming%n",
          s.getKey(), m, m / tree, m / streaming);
    }
    System.out.println("(checksum " + sink + ")");
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }
}

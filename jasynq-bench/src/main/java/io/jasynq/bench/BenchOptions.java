package io.jasynq.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The command line of {@link Bench}, parsed and validated.
 *
 * @param redisUri the Redis to use, or null to start a throwaway redis-server
 * @param scenarios the scenarios to run, in order
 * @param n tasks per count-based scenario
 * @param heapN tasks that flow through the server in {@code heap-1m}
 * @param latencyCount tasks enqueued one at a time in {@code latency-idle}
 * @param warmup tasks enqueued and processed before the first scenario (not reported); 0 for none
 * @param timeout the longest one scenario may run before it reports what it got
 * @param heapTimeout the same bound for {@code heap-1m}
 * @param dashboardN archived and pending tasks (each) in {@code dashboard-1m}
 * @param dashboardTimeout the bound for {@code dashboard-1m}, seeding included
 * @param jsonOnly whether stderr stays quiet (no progress, only warnings)
 */
record BenchOptions(
    @Nullable String redisUri,
    List<String> scenarios,
    int n,
    int heapN,
    int latencyCount,
    int warmup,
    Duration timeout,
    Duration heapTimeout,
    int dashboardN,
    Duration dashboardTimeout,
    boolean jsonOnly) {

  static final int DEFAULT_N = 20_000;
  static final int DEFAULT_HEAP_N = 1_000_000;
  static final int DEFAULT_LATENCY_COUNT = 200;
  static final int DEFAULT_WARMUP = 50_000;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  static final Duration DEFAULT_HEAP_TIMEOUT = Duration.ofSeconds(300);
  static final int DEFAULT_DASHBOARD_N = 1_000_000;
  static final Duration DEFAULT_DASHBOARD_TIMEOUT = Duration.ofSeconds(600);

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar jasynq-bench.jar [options]",
          "  --redis URI          Redis to use (default: start a throwaway redis-server)."
              + " It is FLUSHALLed between scenarios.",
          "  --scenarios a,b,...  default: "
              + String.join(",", Scenarios.defaults())
              + " (also: dashboard-1m)",
          "  --n N                tasks per scenario (default " + DEFAULT_N + ")",
          "  --heap-n N           tasks through heap-1m (default: --n if given, else "
              + DEFAULT_HEAP_N
              + ")",
          "  --latency-n M        tasks in latency-idle (default " + DEFAULT_LATENCY_COUNT + ")",
          "  --warmup W           untimed warm-up tasks before the first scenario (default "
              + DEFAULT_WARMUP
              + ")",
          "  --timeout S          bound per scenario in seconds (default "
              + DEFAULT_TIMEOUT.toSeconds()
              + "; heap-1m: --heap-timeout, default "
              + DEFAULT_HEAP_TIMEOUT.toSeconds()
              + ")",
          "  --dashboard-n N      archived and pending tasks (each) in dashboard-1m (default "
              + DEFAULT_DASHBOARD_N
              + ")",
          "  --dashboard-timeout S  bound for dashboard-1m in seconds, seeding included (default "
              + DEFAULT_DASHBOARD_TIMEOUT.toSeconds()
              + ")",
          "  --json-only          print only the JSON lines (no progress on stderr)",
          "Prints one JSON line per scenario on stdout.");

  BenchOptions {
    Objects.requireNonNull(scenarios, "scenarios == null");
    scenarios = List.copyOf(scenarios);
    for (String s : scenarios) {
      if (!Scenarios.names().contains(s)) {
        throw new IllegalArgumentException(
            "unknown scenario '" + s + "'; known: " + String.join(",", Scenarios.names()));
      }
    }
    atLeast("--n", n, 1);
    atLeast("--heap-n", heapN, 1);
    atLeast("--latency-n", latencyCount, 1);
    atLeast("--warmup", warmup, 0);
    atLeast("--dashboard-n", dashboardN, 1);
  }

  /**
   * Parses {@code args}.
   *
   * @return the options, or null if {@code --help} was asked for
   * @throws IllegalArgumentException naming the bad argument
   */
  static @Nullable BenchOptions parse(String... args) {
    String redis = null;
    List<String> scenarios = Scenarios.defaults();
    Integer n = null;
    Integer heapN = null;
    int latencyCount = DEFAULT_LATENCY_COUNT;
    int warmup = DEFAULT_WARMUP;
    Duration timeout = DEFAULT_TIMEOUT;
    Duration heapTimeout = DEFAULT_HEAP_TIMEOUT;
    int dashboardN = DEFAULT_DASHBOARD_N;
    Duration dashboardTimeout = DEFAULT_DASHBOARD_TIMEOUT;
    boolean jsonOnly = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          return null;
        }
        case "--json-only" -> jsonOnly = true;
        case "--redis" -> redis = value(args, ++i, arg);
        case "--scenarios" -> scenarios = splitList(value(args, ++i, arg));
        case "--n" -> n = number(args, ++i, arg);
        case "--heap-n" -> heapN = number(args, ++i, arg);
        case "--latency-n" -> latencyCount = number(args, ++i, arg);
        case "--warmup" -> warmup = number(args, ++i, arg);
        case "--timeout" -> timeout = Duration.ofSeconds(number(args, ++i, arg));
        case "--heap-timeout" -> heapTimeout = Duration.ofSeconds(number(args, ++i, arg));
        case "--dashboard-n" -> dashboardN = number(args, ++i, arg);
        case "--dashboard-timeout" -> dashboardTimeout = Duration.ofSeconds(number(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    int count = n != null ? n : DEFAULT_N;
    int heap = heapN != null ? heapN : n != null ? n : DEFAULT_HEAP_N;
    String uri = redis == null || redis.isBlank() ? null : redis;
    return new BenchOptions(
        uri,
        scenarios,
        count,
        heap,
        latencyCount,
        warmup,
        timeout,
        heapTimeout,
        dashboardN,
        dashboardTimeout,
        jsonOnly);
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static int number(String[] args, int i, String name) {
    String text = value(args, i, name).replace("_", "");
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, was '" + args[i] + "'", e);
    }
  }

  private static List<String> splitList(String text) {
    List<String> names = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        names.add(part.trim());
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("--scenarios must name at least one scenario");
    }
    return names;
  }

  private static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
  }
}

package io.jasynq.bench;

import io.jasynq.testkit.RedisServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The benchmark's entry point: runs the chosen scenarios one after another against one Redis,
 * flushing it before each, and prints one JSON line per scenario on stdout. See {@code
 * bench/README.md} for how to run it beside the BullMQ comparison.
 */
public final class Bench {
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  private Bench() {}

  /**
   * Runs the benchmark and exits: 0 if every scenario finished, 1 if one failed or timed out, 2 for
   * a bad command line.
   */
  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("jasynq-bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.println(BenchOptions.USAGE);
      return;
    }
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, "warn"); // server start/stop lines would drown the progress
    }
    PrintStream progress =
        options.jsonOnly() ? new PrintStream(OutputStream.nullOutputStream()) : System.err;
    int failed = run(options, System.out, progress);
    System.exit(failed == 0 ? 0 : 1);
  }

  /**
   * Runs the scenarios of {@code options}, printing their lines on {@code out}.
   *
   * @return how many scenarios failed or timed out
   */
  static int run(BenchOptions options, PrintStream out, PrintStream progress) {
    RedisServer own = null;
    try {
      String uri = options.redisUri();
      if (uri == null) {
        own = RedisServer.start();
        uri = own.uri();
        progress.println("started " + own);
      }
      try (RedisProbe redis = RedisProbe.connect(uri)) {
        BenchContext context = new BenchContext(uri, redis, options, progress);
        redis.flushAll();
        Warmup.run(context);
        int failed = 0;
        for (String name : options.scenarios()) {
          redis.flushAll();
          JsonLine line = runOne(Objects.requireNonNull(Scenarios.named(name), name), context);
          out.println(line);
          out.flush();
          if (line.get("error") != null || Boolean.TRUE.equals(line.get("timed_out"))) {
            failed++;
          }
        }
        redis.flushAll();
        return failed;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return options.scenarios().size();
      }
    } finally {
      if (own != null) {
        own.close();
      }
    }
  }

  private static JsonLine runOne(Scenario scenario, BenchContext context) {
    context.log("%s ...", scenario.name());
    try {
      JsonLine line = scenario.run(context);
      context.log("%s: %s", scenario.name(), summary(line));
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failure(scenario, e);
    } catch (Exception e) {
      e.printStackTrace(context.progress());
      return failure(scenario, e);
    }
  }

  private static JsonLine failure(Scenario scenario, Exception e) {
    return new JsonLine()
        .put("scenario", scenario.name())
        .put("impl", "jasynq")
        .put("error", String.valueOf(e));
  }

  private static String summary(JsonLine line) {
    Object p50 = line.get("p50_ms");
    if (p50 != null) {
      return String.format("p50 %s ms, p99 %s ms", p50, line.get("p99_ms"));
    }
    return String.format(
        "%.0f ops/s (%s in %.2f s)",
        (Double) line.get("ops_per_sec"), line.get("n"), (Double) line.get("seconds"));
  }
}

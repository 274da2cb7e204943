package io.jasynq.bench;

import java.io.PrintStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a scenario needs: where Redis is, the bench's probe on it, the options and where progress
 * goes.
 *
 * @param redisUri the Redis under test
 * @param redis the bench's own connection to it
 * @param options the command line
 * @param progress human-readable progress (stderr, or a null stream with --json-only)
 */
record BenchContext(String redisUri, RedisProbe redis, BenchOptions options, PrintStream progress) {

  /** The bound of an ordinary scenario. */
  Duration timeout() {
    return options.timeout();
  }

  void log(String format, @Nullable Object... args) {
    progress.printf(format + "%n", args);
    progress.flush();
  }
}

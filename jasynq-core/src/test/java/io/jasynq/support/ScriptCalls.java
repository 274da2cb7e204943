package io.jasynq.support;

import io.jasynq.testkit.TestRedis;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many scripts a Redis has run ({@code INFO commandstats}, EVALSHA): a test that must show that
 * nothing happens while servers keep trying (a queue at its limit) waits for this count to grow
 * instead of sleeping.
 */
public final class ScriptCalls {
  private static final Pattern EVALSHA = Pattern.compile("cmdstat_evalsha:calls=(\\d+)");

  private ScriptCalls() {}

  /** Script calls {@code redis} has run so far. */
  public static long of(TestRedis redis) {
    Matcher m = EVALSHA.matcher(redis.commands().info("commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}

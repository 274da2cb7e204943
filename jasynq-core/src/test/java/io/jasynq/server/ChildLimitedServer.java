package io.jasynq.server;

import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * One server of a fleet on queue {@code fleet} with concurrency 10 and a fleet-wide concurrency
 * limit: its handler records in Redis how many handlers of the whole fleet run at once ({@code
 * test:running}, the most in {@code test:max}), holds until the fleet has reached the limit once
 * (or 10 s passed), then counts itself done ({@code test:done}). Exits once {@code test:done}
 * reaches the total, printing "done".
 *
 * <p>Usage: {@code ChildLimitedServer <redis uri> <limit> <total tasks>}.
 */
public final class ChildLimitedServer {
  private static final String ENTER =
      "local n = redis.call('INCR', KEYS[1]) "
          + "if n > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], n) end "
          + "return n";

  private ChildLimitedServer() {}

  public static void main(String[] args) throws InterruptedException {
    String uri = args[0];
    int limit = Integer.parseInt(args[1]);
    long total = Long.parseLong(args[2]);
    RedisClient lettuce = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      ServerConfig config =
          ServerConfig.builder()
              .concurrency(10)
              .taskCheckInterval(Duration.ofMillis(20))
              .queue("fleet", 1)
              .queueConcurrencyLimit("fleet", limit)
              .build();
      try (Server server = Server.connect(uri, config)) {
        server.start(
            ctx -> {
              redis.eval(ENTER, ScriptOutputType.INTEGER, "test:running", "test:max");
              long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
              while (Long.parseLong(orZero(redis.get("test:max"))) < limit
                  && System.nanoTime() - until < 0) {
                Thread.sleep(10);
              }
              redis.decr("test:running");
              redis.incr("test:done");
            });
        while (Long.parseLong(orZero(redis.get("test:done"))) < total) {
          Thread.sleep(20);
        }
      }
    } finally {
      lettuce.shutdown();
    }
    System.out.println("done");
  }

  private static String orZero(String value) {
    return value == null ? "0" : value;
  }
}

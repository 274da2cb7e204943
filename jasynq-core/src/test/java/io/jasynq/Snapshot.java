package io.jasynq;

import io.jasynq.testkit.TestRedis;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Everything in a Redis, one line per key, to prove that an operation wrote nothing. */
final class Snapshot {
  private Snapshot() {}

  static Map<String, String> of(TestRedis redis) {
    Map<String, String> all = new TreeMap<>();
    for (String key : redis.keys("*")) {
      String type = redis.type(key);
      String value =
          switch (type) {
            case "string" -> HexFormat.of().formatHex(redis.getBytes(key));
            case "list" -> redis.lrange(key).toString();
            case "set" -> redis.smembers(key).toString();
            case "zset" -> redis.zrangeWithScores(key).toString();
            case "hash" -> {
              Map<String, String> h = new TreeMap<>();
              redis.hgetAll(key).forEach((f, v) -> h.put(f, HexFormat.of().formatHex(v)));
              yield h.toString();
            }
            default -> "?";
          };
      all.put(key, type + " ttl=" + (redis.ttl(key) > 0 ? "set" : redis.ttl(key)) + " " + value);
    }
    return all;
  }
}

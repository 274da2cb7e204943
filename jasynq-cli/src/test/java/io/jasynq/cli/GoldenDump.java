package io.jasynq.cli;

import io.jasynq.testkit.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the spec's golden dump (what Go Asynq v0.24.1 wrote while a server held an active task and
 * a scheduler ran: one task per state in queue "dump", scheduler-enqueued tasks in "cronq") into a
 * test Redis, without TTLs. Values are read from their redis-cli escaped form.
 */
final class GoldenDump {
  /** When the dump was taken; its servers and schedulers are alive at this instant. */
  static final Instant TAKEN = Instant.parse("2026-11-22T09:41:08Z");

  static final String ACTIVE = "3449ea8a-3597-4245-a830-507a43b81bcf";
  static final String PENDING = "bf415da7-1351-4f0f-a141-b79437922470";
  static final String ARCHIVED = "ba6d4db5-4f02-45aa-878a-ab02bef29d19";
  static final String RETRY = "28d03aa4-551d-4ddd-8605-88fa797f6918";
  static final String AGGREGATING = "0f111c92-1eb5-47e3-a453-ac2d01c9df23";
  static final String CRON_ENTRY = "2758ab45-aaea-4dfb-a92e-fbab690c1fe9";

  private static final Pattern HEADER = Pattern.compile("^== (\\S+)  \\[(\\w+)\\]  ttl=-?\\d+$");
  private static final Pattern ITEM = Pattern.compile("^\\s+\\d+\\) \"(.*)\"$");
  private static final Pattern SCALAR = Pattern.compile("^\\s+\"(.*)\"$");

  private GoldenDump() {}

  static void load(TestRedis redis) {
    String key = null;
    String type = null;
    List<byte[]> values = new ArrayList<>();
    for (String line : text().split("\n")) {
      Matcher h = HEADER.matcher(line);
      if (h.matches()) {
        write(redis, key, type, values);
        key = h.group(1);
        type = h.group(2);
        values.clear();
        continue;
      }
      if (key == null) {
        continue;
      }
      Matcher m = ITEM.matcher(line);
      if (!m.matches()) {
        m = SCALAR.matcher(line);
      }
      if (m.matches()) {
        values.add(unescape(m.group(1)));
      }
    }
    write(redis, key, type, values);
  }

  private static void write(TestRedis redis, String key, String type, List<byte[]> v) {
    if (key == null) {
      return;
    }
    var c = redis.commands();
    switch (type) {
      case "string" -> c.set(key, v.get(0));
      case "list" -> c.rpush(key, v.toArray(new byte[0][]));
      case "set" -> c.sadd(key, v.toArray(new byte[0][]));
      case "hash" -> {
        for (int i = 0; i < v.size(); i += 2) {
          c.hset(key, new String(v.get(i), StandardCharsets.UTF_8), v.get(i + 1));
        }
      }
      case "zset" -> {
        for (int i = 0; i < v.size(); i += 2) {
          c.zadd(
              key, Double.parseDouble(new String(v.get(i + 1), StandardCharsets.UTF_8)), v.get(i));
        }
      }
      default -> throw new IllegalStateException("type " + type + " of " + key);
    }
  }

  /** Undoes redis-cli's quoting: \\xNN, \\n, \\r, \\t, \\a, \\b, \\" and \\\\. */
  static byte[] unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'x' -> {
          out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'a' -> out.write(7);
        case 'b' -> out.write('\b');
        default -> out.write(n);
      }
    }
    return out.toByteArray();
  }

  private static String text() {
    try (InputStream in =
        GoldenDump.class.getResourceAsStream("/golden/asynq-v0.24.1-redis-dump.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

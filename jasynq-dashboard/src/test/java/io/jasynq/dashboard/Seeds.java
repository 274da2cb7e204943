package io.jasynq.dashboard;

import io.jasynq.testkit.Poison;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Cheap bulk seeds written straight in Asynq's key schema. */
final class Seeds {
  private static final String ARCHIVE =
      "local q = ARGV[1]\n"
          + "local p = 'asynq:{' .. q .. '}:'\n"
          + "redis.call('SADD', 'asynq:queues', q)\n"
          + "for i = 3, #ARGV, 2 do\n"
          + "  redis.call('HSET', p .. 't:' .. ARGV[i], 'msg', ARGV[i + 1], 'state', 'archived')\n"
          + "  redis.call('ZADD', p .. 'archived', tonumber(ARGV[2]) + i, ARGV[i])\n"
          + "end\n"
          + "return 1";

  private Seeds() {}

  /** {@code count} archived tasks {@code t-00000...} of type "bulk", 1,000 per script call. */
  static void archived(TestRedis redis, String queue, int count) {
    long now = System.currentTimeMillis() / 1000;
    for (int start = 0; start < count; start += 1000) {
      List<byte[]> args = new ArrayList<>();
      args.add(queue.getBytes(StandardCharsets.UTF_8));
      args.add(Long.toString(now - 1_000_000 + 2L * start).getBytes(StandardCharsets.UTF_8));
      for (int i = start; i < Math.min(count, start + 1000); i++) {
        String id = String.format("t-%05d", i);
        args.add(id.getBytes(StandardCharsets.UTF_8));
        args.add(
            Poison.message(
                "bulk", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), id, queue, 3));
      }
      redis
          .commands()
          .eval(ARCHIVE, ScriptOutputType.INTEGER, new String[0], args.toArray(new byte[0][]));
    }
  }
}

package io.jasynq.internal.broker;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds the raw commands the broker dispatches. Keys and values are encoded by our own byte-array
 * codec, so the commands work on any connection whatever codec its owner chose; the first key
 * routes a command to its slot on Cluster.
 */
final class Commands {
  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

  private Commands() {}

  /** An integer reply. */
  static CommandOutput<byte[], byte[], Long> integerReply() {
    return new IntegerOutput<>(CODEC);
  }

  /** A bulk string reply, nil as {@code null}. */
  static CommandOutput<byte[], byte[], byte[]> valueReply() {
    return new ValueOutput<>(CODEC);
  }

  /**
   * An array reply, possibly nested: bulk strings as {@code byte[]} (nil as {@code null}), integers
   * as {@code Long}, arrays as {@code List<Object>}.
   */
  static CommandOutput<byte[], byte[], List<Object>> arrayReply() {
    return new NestedMultiOutput<>(CODEC);
  }

  static AsyncCommand<byte[], byte[], Long> evalsha(
      Script script, List<String> keys, List<byte[]> args) {
    return evalsha(script, keys, args, Commands::integerReply);
  }

  static AsyncCommand<byte[], byte[], Long> eval(
      Script script, List<String> keys, List<byte[]> args) {
    return eval(script, keys, args, Commands::integerReply);
  }

  static <T> AsyncCommand<byte[], byte[], T> evalsha(
      Script script,
      List<String> keys,
      List<byte[]> args,
      Supplier<CommandOutput<byte[], byte[], T>> reply) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC).add(script.sha());
    return command(CommandType.EVALSHA, reply.get(), scriptArgs(a, keys, args));
  }

  static <T> AsyncCommand<byte[], byte[], T> eval(
      Script script,
      List<String> keys,
      List<byte[]> args,
      Supplier<CommandOutput<byte[], byte[], T>> reply) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC).add(script.source());
    return command(CommandType.EVAL, reply.get(), scriptArgs(a, keys, args));
  }

  static AsyncCommand<byte[], byte[], String> scriptLoad(Script script) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).add(CommandKeyword.LOAD).add(script.source());
    return new AsyncCommand<>(new Command<>(CommandType.SCRIPT, new StatusOutput<>(CODEC), a));
  }

  static AsyncCommand<byte[], byte[], Long> sadd(String key, String member) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).addValue(Keys.bytes(member));
    return command(CommandType.SADD, integerReply(), a);
  }

  /** {@code SMEMBERS key}: the members as {@code byte[]}, in no particular order. */
  static AsyncCommand<byte[], byte[], List<Object>> smembers(String key) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC).addKey(Keys.bytes(key));
    return command(CommandType.SMEMBERS, arrayReply(), a);
  }

  /** {@code SISMEMBER key member}: 1 or 0. */
  static AsyncCommand<byte[], byte[], Long> sismember(String key, String member) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).addValue(Keys.bytes(member));
    return command(CommandType.SISMEMBER, integerReply(), a);
  }

  /** {@code SREM key member}. */
  static AsyncCommand<byte[], byte[], Long> srem(String key, String member) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).addValue(Keys.bytes(member));
    return command(CommandType.SREM, integerReply(), a);
  }

  /** {@code SET key value NX}: "OK", or null when the key exists. */
  static AsyncCommand<byte[], byte[], String> setIfAbsent(String key, String value) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC)
            .addKey(Keys.bytes(key))
            .addValue(Keys.bytes(value))
            .add(CommandKeyword.NX);
    return command(CommandType.SET, new StatusOutput<>(CODEC), a);
  }

  /** {@code LRANGE key start stop}: the elements as {@code byte[]}. */
  static AsyncCommand<byte[], byte[], List<Object>> lrange(String key, long start, long stop) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).add(start).add(stop);
    return command(CommandType.LRANGE, arrayReply(), a);
  }

  /** {@code ZREVRANGE key start stop WITHSCORES}: member, score, ..., highest score first. */
  static AsyncCommand<byte[], byte[], List<Object>> zrevrangeWithScores(
      String key, long start, long stop) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC)
            .addKey(Keys.bytes(key))
            .add(start)
            .add(stop)
            .add(CommandKeyword.WITHSCORES);
    return command(CommandType.ZREVRANGE, arrayReply(), a);
  }

  /** {@code TYPE key}: "string", "list", "set", "zset", "hash", "stream", or "none". */
  static AsyncCommand<byte[], byte[], String> type(String key) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC).addKey(Keys.bytes(key));
    return command(CommandType.TYPE, new StatusOutput<>(CODEC), a);
  }

  /** {@code SCAN cursor MATCH pattern COUNT count}: {@code [next cursor, [keys...]]}. */
  static AsyncCommand<byte[], byte[], List<Object>> scan(String cursor, String pattern, int count) {
    return scan(cursor, pattern, count, null);
  }

  /**
   * {@code SCAN cursor MATCH pattern COUNT count [TYPE type]} (TYPE needs Redis 6.0): {@code [next
   * cursor, [keys...]]}.
   */
  static AsyncCommand<byte[], byte[], List<Object>> scan(
      String cursor, String pattern, int count, String type) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC)
            .add(cursor)
            .add(CommandKeyword.MATCH)
            .add(Keys.bytes(pattern))
            .add(CommandKeyword.COUNT)
            .add(count);
    if (type != null) {
      a.add(CommandType.TYPE).add(type);
    }
    return command(CommandType.SCAN, arrayReply(), a);
  }

  /** {@code ZADD key score member}. */
  static AsyncCommand<byte[], byte[], Long> zadd(String key, long score, String member) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).add(score).addValue(Keys.bytes(member));
    return command(CommandType.ZADD, integerReply(), a);
  }

  /** {@code ZADD key XX score member [score member ...]}: updates existing members only. */
  static AsyncCommand<byte[], byte[], Long> zaddExisting(
      String key, long score, List<String> members) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).add(CommandKeyword.XX);
    for (String member : members) {
      a.add(score).addValue(Keys.bytes(member));
    }
    return command(CommandType.ZADD, integerReply(), a);
  }

  /** {@code ZRANGEBYSCORE key min max}: the members as {@code byte[]}, lowest score first. */
  static AsyncCommand<byte[], byte[], List<Object>> zrangeByScore(
      String key, String min, String max) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).add(min).add(max);
    return command(CommandType.ZRANGEBYSCORE, arrayReply(), a);
  }

  /** {@code ZREMRANGEBYSCORE key min max}: how many members were removed. */
  static AsyncCommand<byte[], byte[], Long> zremRangeByScore(String key, String min, String max) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).add(min).add(max);
    return command(CommandType.ZREMRANGEBYSCORE, integerReply(), a);
  }

  /** {@code ZREM key member}. */
  static AsyncCommand<byte[], byte[], Long> zrem(String key, String member) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).addValue(Keys.bytes(member));
    return command(CommandType.ZREM, integerReply(), a);
  }

  /** {@code DEL key [key ...]}; on Cluster the keys must share a slot. */
  static AsyncCommand<byte[], byte[], Long> del(List<String> keys) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC);
    for (String key : keys) {
      a.addKey(Keys.bytes(key));
    }
    return command(CommandType.DEL, integerReply(), a);
  }

  /** {@code GET key}: the value, or null. */
  static AsyncCommand<byte[], byte[], byte[]> get(String key) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC).addKey(Keys.bytes(key));
    return command(CommandType.GET, new ValueOutput<>(CODEC), a);
  }

  /** {@code HMGET key field...}: the values in order, null for a missing field. */
  static AsyncCommand<byte[], byte[], List<Object>> hmget(String key, List<String> fields) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC).addKey(Keys.bytes(key));
    for (String field : fields) {
      a.addValue(Keys.bytes(field));
    }
    return command(CommandType.HMGET, arrayReply(), a);
  }

  /** {@code HGET key field}: the value, or null. */
  static AsyncCommand<byte[], byte[], byte[]> hget(String key, String field) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).addValue(Keys.bytes(field));
    return command(CommandType.HGET, new ValueOutput<>(CODEC), a);
  }

  /** {@code PUBLISH channel message}. */
  static AsyncCommand<byte[], byte[], Long> publish(String channel, String message) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(channel)).addValue(Keys.bytes(message));
    return command(CommandType.PUBLISH, integerReply(), a);
  }

  /**
   * {@code CLIENT TRACKING ON REDIRECT id BCAST PREFIX p …}: every write to a key under one of the
   * prefixes sends connection {@code redirect} an invalidation.
   */
  static AsyncCommand<byte[], byte[], String> trackingOn(long redirect, List<String> prefixes) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC)
            .add("TRACKING")
            .add("ON")
            .add("REDIRECT")
            .add(redirect)
            .add("BCAST");
    for (String prefix : prefixes) {
      a.add("PREFIX").add(Keys.bytes(prefix));
    }
    return command(CommandType.CLIENT, new StatusOutput<>(CODEC), a);
  }

  /** {@code CLIENT TRACKING OFF}. */
  static AsyncCommand<byte[], byte[], String> trackingOff() {
    return command(
        CommandType.CLIENT,
        new StatusOutput<>(CODEC),
        new CommandArgs<>(CODEC).add("TRACKING").add("OFF"));
  }

  /** {@code WAIT numreplicas timeout}: how many replicas acknowledged this connection's writes. */
  static <T> AsyncCommand<byte[], byte[], T> waitReplicas(
      int replicas, long timeoutMillis, Supplier<CommandOutput<byte[], byte[], T>> reply) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC).add(replicas).add(timeoutMillis);
    return command(CommandType.WAIT, reply.get(), a);
  }

  static AsyncCommand<byte[], byte[], String> ping() {
    return new AsyncCommand<>(
        new Command<>(CommandType.PING, new StatusOutput<>(CODEC), new CommandArgs<>(CODEC)));
  }

  static boolean isNoScript(Throwable error) {
    return error != null && error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT");
  }

  private static CommandArgs<byte[], byte[]> scriptArgs(
      CommandArgs<byte[], byte[]> a, List<String> keys, List<byte[]> args) {
    a.add(keys.size());
    for (String key : keys) {
      a.addKey(Keys.bytes(key));
    }
    for (byte[] arg : args) {
      a.addValue(arg);
    }
    return a;
  }

  private static <T> AsyncCommand<byte[], byte[], T> command(
      CommandType type, CommandOutput<byte[], byte[], T> output, CommandArgs<byte[], byte[]> args) {
    return new AsyncCommand<>(new Command<>(type, output, args));
  }
}

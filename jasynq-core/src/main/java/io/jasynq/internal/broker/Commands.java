package io.jasynq.internal.broker;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import java.util.List;

/**
 * Builds the raw commands the broker dispatches. Keys and values are encoded by our own byte-array
 * codec, so the commands work on any connection whatever codec its owner chose; the first key
 * routes a command to its slot on Cluster.
 */
final class Commands {
  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

  private Commands() {}

  static AsyncCommand<byte[], byte[], Long> evalsha(
      Script script, List<String> keys, List<byte[]> args) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC).add(script.sha());
    return integer(CommandType.EVALSHA, scriptArgs(a, keys, args));
  }

  static AsyncCommand<byte[], byte[], Long> eval(
      Script script, List<String> keys, List<byte[]> args) {
    CommandArgs<byte[], byte[]> a = new CommandArgs<>(CODEC).add(script.source());
    return integer(CommandType.EVAL, scriptArgs(a, keys, args));
  }

  static AsyncCommand<byte[], byte[], String> scriptLoad(Script script) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).add(CommandKeyword.LOAD).add(script.source());
    return new AsyncCommand<>(new Command<>(CommandType.SCRIPT, new StatusOutput<>(CODEC), a));
  }

  static AsyncCommand<byte[], byte[], Long> sadd(String key, String member) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).addKey(Keys.bytes(key)).addValue(Keys.bytes(member));
    return integer(CommandType.SADD, a);
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

  private static AsyncCommand<byte[], byte[], Long> integer(
      CommandType type, CommandArgs<byte[], byte[]> args) {
    return new AsyncCommand<>(new Command<>(type, new IntegerOutput<>(CODEC), args));
  }
}

package io.jasynq.internal.broker;

import io.jasynq.ClusterNode;
import io.jasynq.JasynqException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ConnectionIntent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Commands that address a server rather than a key: the SCAN that sweeps a queue's keys, {@code
 * INFO}, {@code CLUSTER INFO}, {@code CLUSTER KEYSLOT} and {@code CLUSTER SLOTS} (wire-format §6.2,
 * §6.4, §8.3). On standalone and Sentinel they go to the one server the broker talks to. On Redis
 * Cluster a keyless command would reach one arbitrary node, so the SCAN goes to the master owning
 * the queue's slot and {@code INFO} to every master, each through the cluster connection's own
 * connection to that node (opened and closed by the cluster connection, never by us).
 *
 * <p>Thread-safe; every call blocks until Redis answers or the command timeout passes, so it is for
 * Inspector threads, never for an event loop.
 */
public final class RedisNodes {
  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

  private final Broker broker;

  /** Node commands over {@code broker}'s connection; the caller keeps owning the broker. */
  public RedisNodes(Broker broker) {
    this.broker = broker;
  }

  /** Whether the broker talks to a Redis Cluster. */
  public boolean isCluster() {
    return cluster() != null;
  }

  /**
   * Deletes every key whose name starts with {@code prefix}, which carries a hash tag: a bounded
   * SCAN in steps of {@code count} on the server (on Cluster: the master owning the tag's slot),
   * each step's keys deleted by one DEL.
   */
  public void deleteKeysWithPrefix(String operation, String prefix, int count) {
    ScanPage page = new ScanPage(ScanPage.START, List.of());
    do {
      page = scan(operation, prefix, null, page.cursor(), count);
      if (!page.keys().isEmpty()) {
        broker.await(
            broker.commands().send(operation, Commands.del(page.keys()))); // one tag: one slot
      }
    } while (!page.isDone());
  }

  /**
   * One step of a SCAN over the keys whose names start with {@code prefix}, which carries a hash
   * tag: {@code SCAN cursor MATCH <prefix>* COUNT count [TYPE type]} on the server, or on Cluster
   * on the master owning the tag's slot. A cursor is only meaningful to the node that gave it:
   * after the slot moved, a step may miss or repeat keys, as SCAN may anyway.
   *
   * @param type a Redis type name ({@code zset}, ...) to keep only keys of that type, or null
   * @param cursor {@link ScanPage#START} to begin, else the cursor of the previous page
   * @throws JasynqException if no master serves the slot (Cluster), or Redis fails
   */
  public ScanPage scan(String operation, String prefix, String type, String cursor, int count) {
    String pattern = globEscape(prefix) + "*";
    AsyncCommand<byte[], byte[], List<Object>> scan = Commands.scan(cursor, pattern, count, type);
    StatefulRedisClusterConnection<?, ?> cluster = cluster();
    List<Object> r;
    if (cluster == null) {
      r = broker.await(broker.commands().send(operation, scan));
    } else {
      int slot = SlotHash.getSlot(prefix);
      RedisClusterNode owner = cluster.getPartitions().getMasterBySlot(slot);
      if (owner == null) {
        throw new JasynqException(operation + " failed: no master serves slot " + slot + " now");
      }
      r = await(operation, onNode(cluster, owner, scan));
    }
    return new ScanPage(
        ScriptValues.text(r.get(0)),
        ((List<?>) r.get(1)).stream().map(ScriptValues::text).toList());
  }

  /**
   * One SCAN step's reply.
   *
   * @param cursor where the next step starts; {@link #START} when the sweep is complete
   * @param keys the matching keys of this step (maybe none, maybe some seen before)
   */
  public record ScanPage(String cursor, List<String> keys) {
    /** The cursor that starts a sweep, and that ends it. */
    public static final String START = "0";

    /** Whether the sweep is complete. */
    public boolean isDone() {
      return cursor.equals(START);
    }
  }

  /**
   * {@code INFO} of the server as fields (sections flattened, in reply order); empty on Cluster,
   * where {@link #masterInfo()} has one per master.
   */
  public Map<String, String> info() {
    if (isCluster()) {
      return Map.of();
    }
    return fields(await("redisInfo", broker.commands().send("redisInfo", bulk(CommandType.INFO))));
  }

  /**
   * {@code INFO} of every master of the cluster, by {@code host:port}, sorted by address; empty
   * when not on a cluster.
   */
  public Map<String, Map<String, String>> masterInfo() {
    StatefulRedisClusterConnection<?, ?> cluster = cluster();
    if (cluster == null) {
      return Map.of();
    }
    List<RedisClusterNode> masters = new ArrayList<>();
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)
          && !node.is(RedisClusterNode.NodeFlag.FAIL)
          && !node.getSlots().isEmpty()) {
        masters.add(node);
      }
    }
    masters.sort(Comparator.comparing(RedisNodes::address));
    Map<String, Map<String, String>> info = new LinkedHashMap<>();
    for (RedisClusterNode master : masters) {
      info.put(
          address(master),
          fields(await("redisInfo", onNode(cluster, master, bulk(CommandType.INFO)))));
    }
    return info;
  }

  /** {@code CLUSTER INFO} as fields; empty when not on a cluster. */
  public Map<String, String> clusterInfo() {
    if (!isCluster()) {
      return Map.of();
    }
    AsyncCommand<byte[], byte[], byte[]> c =
        new AsyncCommand<>(
            new Command<>(
                CommandType.CLUSTER,
                new ValueOutput<>(CODEC),
                new CommandArgs<>(CODEC).add(CommandKeyword.INFO)));
    return fields(await("clusterInfo", broker.commands().send("clusterInfo", c)));
  }

  /**
   * {@code CLUSTER KEYSLOT key}, answered by Redis.
   *
   * @throws JasynqException if Redis is not a cluster, saying so
   */
  public long keySlot(String operation, String key) {
    CommandArgs<byte[], byte[]> a =
        new CommandArgs<>(CODEC).add("KEYSLOT").addKey(key.getBytes(StandardCharsets.UTF_8));
    AsyncCommand<byte[], byte[], Long> c =
        new AsyncCommand<>(new Command<>(CommandType.CLUSTER, new IntegerOutput<>(CODEC), a));
    return await(operation, broker.commands().send(operation, c));
  }

  /**
   * {@code CLUSTER SLOTS}: one entry per slot range, {@code [start, end, [host, port, id, ...],
   * ...]}, the master first.
   *
   * @throws JasynqException if Redis is not a cluster, saying so
   */
  public List<Object> clusterSlots(String operation) {
    AsyncCommand<byte[], byte[], List<Object>> c =
        new AsyncCommand<>(
            new Command<>(
                CommandType.CLUSTER,
                Commands.arrayReply(),
                new CommandArgs<>(CODEC).add(CommandKeyword.SLOTS)));
    return await(operation, broker.commands().send(operation, c));
  }

  /**
   * The nodes serving the slot of {@code key} ({@code CLUSTER KEYSLOT}, then {@code CLUSTER
   * SLOTS}): the master first, then its replicas.
   *
   * @throws JasynqException if Redis is not a cluster, or no range holds the slot
   */
  public List<ClusterNode> clusterNodes(String operation, String key) {
    long slot = keySlot(operation, key);
    for (Object raw : clusterSlots(operation)) {
      List<?> range = (List<?>) raw;
      if ((Long) range.get(0) <= slot && slot <= (Long) range.get(1)) {
        List<ClusterNode> nodes = new ArrayList<>();
        for (Object n : range.subList(2, range.size())) {
          List<?> node = (List<?>) n;
          String host = ScriptValues.text(node.get(0));
          String id = node.size() > 2 ? ScriptValues.text(node.get(2)) : "";
          nodes.add(
              new ClusterNode(
                  id, (host.contains(":") ? "[" + host + "]" : host) + ":" + node.get(1)));
        }
        return nodes;
      }
    }
    throw new JasynqException(operation + " failed: no cluster node serves slot " + slot);
  }

  /** Parses an INFO-style reply: {@code name:value} lines; comments and blank lines skipped. */
  static Map<String, String> fields(byte[] reply) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (reply == null) {
      return fields;
    }
    for (String line : new String(reply, StandardCharsets.UTF_8).split("\r?\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return fields;
  }

  /** Escapes the characters SCAN's MATCH treats specially, so a queue name matches literally. */
  static String globEscape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  private StatefulRedisClusterConnection<?, ?> cluster() {
    return broker.commands().connection().raw() instanceof StatefulRedisClusterConnection<?, ?> c
        ? c
        : null;
  }

  /** Sends {@code command} on the cluster connection's connection to {@code node}. */
  @SuppressWarnings("unchecked")
  private static <T> CompletableFuture<T> onNode(
      StatefulRedisClusterConnection<?, ?> cluster,
      RedisClusterNode node,
      AsyncCommand<byte[], byte[], T> command) {
    return cluster
        .getConnectionAsync(node.getNodeId(), ConnectionIntent.WRITE)
        .thenCompose(
            c -> {
              ((StatefulConnection<byte[], byte[]>) (StatefulConnection<?, ?>) c).dispatch(command);
              return command;
            });
  }

  /** Awaits {@code future}, naming {@code operation} in a Redis error. */
  private <T> T await(String operation, CompletableFuture<T> future) {
    try {
      return broker.await(future);
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      boolean notCluster = message.contains("cluster support disabled");
      if (e instanceof JasynqException && !notCluster) {
        throw e;
      }
      String text =
          message.startsWith(operation + " failed: ") ? message : operation + " failed: " + message;
      throw new JasynqException(text + (notCluster ? " (Redis is not a cluster)" : ""), e);
    }
  }

  private static AsyncCommand<byte[], byte[], byte[]> bulk(CommandType type) {
    return new AsyncCommand<>(
        new Command<>(type, new ValueOutput<>(CODEC), new CommandArgs<>(CODEC)));
  }

  private static String address(RedisClusterNode node) {
    RedisURI uri = node.getUri();
    String host = uri.getHost();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + uri.getPort();
  }
}

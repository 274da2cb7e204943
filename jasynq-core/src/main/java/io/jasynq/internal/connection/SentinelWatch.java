package io.jasynq.internal.connection;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on every sentinel for {@code +switch-master} of one master and runs a callback when it
 * names a new address, so that connections leave the old master at once instead of writing to it
 * until it is demoted (Sentinel demotes a former master only some seconds after the promotion, and
 * writes it accepts in between are discarded when it re-syncs from the new master).
 *
 * <p>One Pub/Sub connection per sentinel, opened asynchronously; a sentinel that cannot be reached
 * is skipped (the others suffice, and Lettuce reconnects the ones that were reached). The callback
 * runs on a Lettuce event-loop thread and must not block. {@link #close()} closes the connections;
 * idempotent, never throws.
 */
public final class SentinelWatch implements AutoCloseable {
  /** The Sentinel event announcing a completed failover. */
  static final String SWITCH_MASTER = "+switch-master";

  private static final Logger log = LoggerFactory.getLogger(SentinelWatch.class);

  private final String masterName;
  private final Runnable onSwitch;
  private final Set<StatefulRedisPubSubConnection<byte[], byte[]>> connections =
      ConcurrentHashMap.newKeySet();
  private final AtomicReference<String> lastSwitch = new AtomicReference<>("");
  private final AtomicBoolean closed = new AtomicBoolean();

  private SentinelWatch(String masterName, Runnable onSwitch) {
    this.masterName = masterName;
    this.onSwitch = onSwitch;
  }

  /**
   * Starts watching: returns at once, connecting to each of {@code sentinels} in the background.
   *
   * @param client the client to connect with (ours or borrowed; it is never closed here)
   * @param sentinels the sentinels' URIs (each with its own credentials and TLS)
   * @param masterName the monitored master's name
   * @param onSwitch run once per new master address, on a Lettuce thread
   */
  public static SentinelWatch start(
      RedisClient client, List<RedisURI> sentinels, String masterName, Runnable onSwitch) {
    SentinelWatch watch = new SentinelWatch(masterName, onSwitch);
    for (RedisURI sentinel : sentinels) {
      watch.connect(client, sentinel);
    }
    return watch;
  }

  private void connect(RedisClient client, RedisURI sentinel) {
    try {
      client
          .connectPubSubAsync(ByteArrayCodec.INSTANCE, sentinel)
          .whenComplete(
              (connection, error) -> {
                if (error != null) {
                  log.debug("cannot watch sentinel {}:{}", sentinel.getHost(), sentinel.getPort());
                  return;
                }
                connections.add(connection);
                if (closed.get()) {
                  close(connection);
                  return;
                }
                connection.addListener(
                    new RedisPubSubAdapter<>() {
                      @Override
                      public void message(byte[] channel, byte[] message) {
                        onMessage(new String(message, StandardCharsets.UTF_8));
                      }
                    });
                connection.async().subscribe(SWITCH_MASTER.getBytes(StandardCharsets.UTF_8));
              });
    } catch (RuntimeException e) {
      log.debug("cannot watch sentinel {}:{}", sentinel.getHost(), sentinel.getPort(), e);
    }
  }

  /** {@code <master name> <old ip> <old port> <new ip> <new port>}. */
  private void onMessage(String message) {
    String[] parts = message.split(" ");
    if (parts.length < 5 || !parts[0].equals(masterName) || closed.get()) {
      return;
    }
    String change = String.join(" ", parts);
    if (lastSwitch.getAndSet(change).equals(change)) {
      return; // the same event from another sentinel
    }
    log.debug("sentinels switched master {} to {}:{}", masterName, parts[3], parts[4]);
    try {
      onSwitch.run();
    } catch (RuntimeException e) {
      log.warn("following the new master of {} failed: {}", masterName, e.toString());
    }
  }

  /** Closes the sentinel connections. Idempotent; never throws. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (StatefulRedisPubSubConnection<byte[], byte[]> c : connections) {
      close(c);
    }
  }

  private void close(StatefulRedisPubSubConnection<byte[], byte[]> connection) {
    connections.remove(connection);
    if (RedisConnection.isClosedHandler(connection)) {
      return; // closed with its client already (a connect that completed during shutdown)
    }
    try {
      connection.close();
    } catch (RuntimeException e) {
      log.debug("closing a sentinel connection failed; ignored", e);
    }
  }
}

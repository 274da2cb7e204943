package io.jasynq.internal.broker;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription to Pub/Sub channels on a connection of its own (Lettuce re-subscribes after a
 * reconnect). {@link #release()} unsubscribes and closes the connection; idempotent, never throws.
 */
public final class Subscription {
  private static final Logger log = LoggerFactory.getLogger(Subscription.class);

  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
  private final RedisConnection follower; // drops the socket when the master changes
  private final Runnable onRelease;
  private final AtomicBoolean released = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);

  private Subscription(
      StatefulRedisPubSubConnection<byte[], byte[]> connection, Runnable onRelease) {
    this.connection = connection;
    this.follower = new RedisConnection(connection, false, () -> {});
    this.onRelease = onRelease;
  }

  /**
   * Subscribes {@code connection} (which becomes owned by the subscription) to the channels of
   * {@code listeners}. Messages reach their listener on a Lettuce thread; it must not block.
   */
  public static Subscription open(
      StatefulRedisPubSubConnection<byte[], byte[]> connection,
      Map<String, Consumer<String>> listeners,
      Runnable onRelease) {
    Map<String, Consumer<String>> byChannel = Map.copyOf(listeners);
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] ch, byte[] message) {
            String channel = new String(ch, StandardCharsets.UTF_8);
            Consumer<String> listener = byChannel.get(channel);
            if (listener == null) {
              return;
            }
            try {
              listener.accept(new String(message, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
              log.warn("listener of {} failed: {}", channel, e.toString());
            }
          }
        });
    Subscription s = new Subscription(connection, onRelease);
    byte[][] names = byChannel.keySet().stream().map(Keys::bytes).toArray(byte[][]::new);
    try {
      connection.async().subscribe(names).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      s.release();
      throw new io.jasynq.JasynqException(
          "cannot subscribe to " + byChannel.keySet() + ": " + e.getMessage(), e);
    }
    return s;
  }

  /**
   * Moves the subscription to the master the sentinels name now: the socket is dropped and Lettuce
   * reconnects and subscribes again. Messages published in between are missed (the server polls).
   */
  public void leaveServer() {
    follower.leaveServer();
  }

  /** Unsubscribes and closes the connection. */
  public void release() {
    if (!released.compareAndSet(false, true)) {
      awaitReleased(); // so that no one shuts the client down under a close still under way
      return;
    }
    try {
      follower.release();
      if (!RedisConnection.isClosedHandler(connection)) { // closed by its client's owner already
        connection.close();
      }
    } catch (RuntimeException e) {
      log.debug("closing a subscription failed; ignored", e);
    } finally {
      onRelease.run();
      done.countDown();
    }
  }

  private void awaitReleased() {
    try {
      if (!done.await(RedisConnection.CONCURRENT_CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.debug("a concurrent close is still under way");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

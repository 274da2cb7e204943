package io.jasynq.internal.connection;

import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription to Pub/Sub channels on a connection of its own (Lettuce re-subscribes after a
 * reconnect). {@link #release()} unsubscribes and closes the connection; idempotent, never throws.
 */
public final class Subscription {
  private static final Logger log = LoggerFactory.getLogger(Subscription.class);

  /** The channel that key-tracking invalidations arrive on over RESP2 (RESP3 pushes them). */
  static final String INVALIDATE_CHANNEL = "__redis__:invalidate";

  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
  private final RedisConnection follower; // drops the socket when the master changes
  private final Runnable onRelease;
  private final AtomicBoolean released = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  // Subscribe confirmations heard (Lettuce subscribes again after each reconnect), and how many the
  // first subscribe gives; set once open has subscribed.
  private final AtomicInteger confirmations = new AtomicInteger();
  private volatile int firstConfirmations = Integer.MAX_VALUE;
  private volatile long clientId = -1; // CLIENT ID, when prepared for key tracking

  private Subscription(
      StatefulRedisPubSubConnection<byte[], byte[]> connection, Runnable onRelease) {
    this.connection = connection;
    this.follower = new RedisConnection(connection, false, () -> {});
    this.onRelease = onRelease;
  }

  /**
   * Subscribes {@code connection} (which becomes owned by the subscription) to the channels of
   * {@code listening}. Messages reach their listener on a Lettuce thread; it must not block.
   *
   * <p>If {@code listening} has key prefixes, the connection is made a target for key tracking: its
   * {@link #clientId()} is read before it subscribes, and invalidations that reach it (a push
   * message over RESP3, a message on {@value #INVALIDATE_CHANNEL} over RESP2) call {@code
   * onKeyWrite}. Tracking itself is turned on and off by another connection, redirected here (see
   * {@code KeyWatch}): only while the server is idle, as invalidations cost Redis a message per
   * pass of its event loop. Where Redis refuses {@code CLIENT ID}, there is no target.
   *
   * @throws io.jasynq.JasynqException if it cannot subscribe to the channels
   */
  public static Subscription open(
      StatefulRedisPubSubConnection<byte[], byte[]> connection,
      Listening listening,
      Runnable onRelease) {
    Subscription s = new Subscription(connection, onRelease);
    boolean tracking;
    try {
      tracking = !listening.keyPrefixes().isEmpty() && s.prepareTracking(listening);
    } catch (Exception e) {
      s.release();
      throw new io.jasynq.JasynqException("cannot read the client ID: " + e.getMessage(), e);
    }
    Map<String, Consumer<String>> byChannel = new HashMap<>(listening.channels());
    if (tracking) {
      byChannel.put(INVALIDATE_CHANNEL, key -> listening.onKeyWrite().run());
    }
    connection.addListener(new Listener(Map.copyOf(byChannel), s.confirmations));
    try {
      connection.async().subscribe(names(listening.channels().keySet())).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      s.release();
      throw new io.jasynq.JasynqException(
          "cannot subscribe to " + listening.channels().keySet() + ": " + e.getMessage(), e);
    }
    int confirmations = listening.channels().size();
    if (tracking) {
      // Over RESP2 the invalidations come on this channel; over RESP3 they are pushed anyway, so
      // a user without the channel in its ACL still gets them there.
      try {
        connection.async().subscribe(names(Set.of(INVALIDATE_CHANNEL))).get(10, TimeUnit.SECONDS);
        confirmations++;
      } catch (ExecutionException e) {
        log.debug("cannot subscribe to {}: {}", INVALIDATE_CHANNEL, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.release();
        throw new io.jasynq.JasynqException("interrupted while subscribing", e);
      } catch (TimeoutException e) {
        s.release();
        throw new io.jasynq.JasynqException(
            "cannot subscribe to " + INVALIDATE_CHANNEL + ": " + e.getMessage(), e);
      }
    }
    s.firstConfirmations = confirmations;
    return s;
  }

  /** Hands each message to its channel's listener; counts subscribe confirmations. */
  private static final class Listener extends RedisPubSubAdapter<byte[], byte[]> {
    private final Map<String, Consumer<String>> byChannel;
    private final AtomicInteger confirmations;

    Listener(Map<String, Consumer<String>> byChannel, AtomicInteger confirmations) {
      this.byChannel = byChannel;
      this.confirmations = confirmations;
    }

    @Override
    public void message(byte[] ch, byte[] message) {
      String channel = new String(ch, StandardCharsets.UTF_8);
      Consumer<String> listener = byChannel.get(channel);
      if (listener == null) {
        return;
      }
      try {
        listener.accept(message == null ? "" : new String(message, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        log.warn("listener of {} failed: {}", channel, e.toString());
      }
    }

    @Override
    public void subscribed(byte[] channel, long count) {
      confirmations.incrementAndGet();
    }
  }

  /**
   * Reads the connection's ID (before it subscribes: over RESP2 a subscribed connection takes no
   * other command) and listens for pushed invalidations. False, logged, if Redis refuses.
   */
  private boolean prepareTracking(Listening listening)
      throws InterruptedException, TimeoutException {
    try {
      clientId = connection.async().clientId().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      log.info(
          "Redis refused CLIENT ID ({}); tasks that publish no wake-up (a Go producer's) are found"
              + " by polling",
          e.getCause() == null ? e.toString() : e.getCause().getMessage());
      return false;
    }
    Runnable onKeyWrite = listening.onKeyWrite();
    connection.addListener(
        (PushListener)
            push -> {
              if ("invalidate".equals(push.getType())) {
                try {
                  onKeyWrite.run();
                } catch (RuntimeException e) {
                  log.warn("listener of key writes failed: {}", e.toString());
                }
              }
            });
    return true;
  }

  private static byte[][] names(Set<String> channels) {
    return channels.stream().map(c -> c.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
  }

  /**
   * The connection's ID, the target to redirect key tracking to; -1 if it is not one (no key
   * prefixes, a cluster, or Redis refused). A reconnect changes it: see {@link #reconnected()}.
   */
  public long clientId() {
    return reconnected() ? -1 : clientId;
  }

  /** Whether this was a target for key tracking and a reconnect has changed its ID since. */
  public boolean lostTrackingTarget() {
    return clientId >= 0 && reconnected();
  }

  /**
   * Whether Lettuce has reconnected and subscribed again since the subscription opened (a second
   * round of subscribe confirmations). The channels still work, but the connection has a new ID, so
   * an owner that redirects key tracking here opens a new subscription.
   */
  public boolean reconnected() {
    return confirmations.get() > firstConfirmations;
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

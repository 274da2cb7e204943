package io.jasynq.internal.connection;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Lettuce connection plus who owns it. {@link #release()} closes an owned connection and leaves a
 * borrowed one alone; it is idempotent and never throws. Commands are dispatched with their own
 * byte-array codec, so a borrowed connection works whatever codec its owner chose.
 *
 * <p>It also counts the connection's TCP (re)connects ({@link #generation()}) and can drop the
 * socket on purpose ({@link #reconnect(long)}) so that Lettuce reconnects: for a Sentinel URI,
 * Lettuce asks the sentinels for the master again on every reconnect. That is how a connection
 * still on a demoted master (READONLY replies, or a {@code +switch-master} event) moves to the new
 * one without being replaced; commands written but not answered are re-sent by Lettuce after the
 * reconnect.
 */
public final class RedisConnection {
  /** How long a second release waits for a first one that is still closing the connection. */
  static final long CONCURRENT_CLOSE_WAIT_SECONDS = 10;

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(RedisConnection.class);

  private final StatefulConnection<?, ?> connection;
  private final boolean owned;
  private final Runnable onRelease;
  private final AtomicBoolean released = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final RedisConnectionStateListener listener = new Listener();
  private volatile ReachabilityListener link; // told of lost and re-established sockets, or null

  // Shared: guarded by this.
  private long generation;
  private boolean dropRequested;
  private CompletableFuture<Void> nextGeneration = new CompletableFuture<>();

  /**
   * @param connection the Lettuce connection
   * @param owned whether {@link #release()} closes it
   * @param onRelease run once on release (the source forgets the connection), never throws
   */
  public RedisConnection(StatefulConnection<?, ?> connection, boolean owned, Runnable onRelease) {
    this.connection = connection;
    this.owned = owned;
    this.onRelease = onRelease;
    connection.addListener(listener);
  }

  /** The Lettuce connection, typed for our byte-array codec (commands carry their own codec). */
  @SuppressWarnings("unchecked")
  public StatefulConnection<byte[], byte[]> raw() {
    return (StatefulConnection<byte[], byte[]>) connection;
  }

  /** Whether {@link #release()} closes the connection. */
  public boolean owned() {
    return owned;
  }

  /** How many times the connection has reconnected since it was wrapped (0 at first). */
  public synchronized long generation() {
    return generation;
  }

  /**
   * Which socket a reply just read came over, for the broker's {@code ReplicaWait}: call it as the
   * reply completes its command (on the event loop). Two stamps are equal only if both replies came
   * over the same socket of this connection; a stamp taken while the connection is not open (a
   * command Lettuce moved to another connection when this one closed) equals no other.
   */
  public Stamp stamp() {
    return new Stamp(this, connection.isOpen() ? generation() : -1);
  }

  /** The socket a reply came over: a connection and its {@link #generation()}, -1 for unknown. */
  public record Stamp(RedisConnection connection, long generation) {
    /** Whether a reply stamped {@code other} came over this same, known socket. */
    public boolean sameSocket(Stamp other) {
      return other != null
          && generation >= 0
          && other.connection == connection
          && other.generation == generation;
    }
  }

  /**
   * Makes the connection leave the server it was on when {@code seen} was its {@link
   * #generation()}: if it is still there, its socket is dropped (once, however many callers ask)
   * and Lettuce reconnects, re-resolving the master through the sentinels. Completes when the
   * connection has reconnected (at once if it already has since {@code seen}). Never completes if
   * the connection cannot reconnect: callers bound the wait. A connection without automatic
   * reconnect is never dropped.
   */
  public CompletableFuture<Void> reconnect(long seen) {
    CompletableFuture<Void> next;
    boolean drop;
    synchronized (this) {
      if (generation > seen) {
        return CompletableFuture.completedFuture(null);
      }
      next = nextGeneration;
      drop = !dropRequested;
      dropRequested = true;
    }
    if (drop && !released.get()) {
      dropSocket();
    }
    return next;
  }

  /** Drops the socket now (the master changed), unless a drop is already under way. */
  public void leaveServer() {
    reconnect(generation());
  }

  private void dropSocket() {
    try {
      if (!connection.getOptions().isAutoReconnect()) {
        return; // dropping it would leave the owner with a dead connection
      }
      if (connection instanceof RedisChannelHandler<?, ?> handler) {
        RedisChannelWriter writer = handler.getChannelWriter();
        while (true) {
          if (writer instanceof io.lettuce.core.protocol.CommandExpiryWriter w) {
            writer = w.getDelegate();
          } else if (writer instanceof io.lettuce.core.CommandListenerWriter w) {
            writer = w.getDelegate();
          } else {
            break;
          }
        }
        if (writer instanceof io.lettuce.core.protocol.DefaultEndpoint endpoint) {
          log.debug("dropping {} to re-resolve the master", this);
          endpoint.disconnect();
        }
      }
    } catch (RuntimeException e) {
      log.debug("dropping a connection failed; ignored", e);
    }
  }

  /**
   * Closes the connection if owned. Idempotent; never throws. A second caller waits (boundedly)
   * until the first has closed the connection.
   */
  public void release() {
    if (!released.compareAndSet(false, true)) {
      awaitReleased(); // so that no one shuts the client down under a close still under way
      return;
    }
    try {
      connection.removeListener(listener);
      if (owned && !isClosedHandler(connection)) { // closing twice makes Lettuce log a WARN
        connection.close();
      }
    } catch (RuntimeException e) {
      // Already closed, or its event loops are gone: nothing is left to release.
      log.debug("closing a connection failed; ignored", e);
    } finally {
      onRelease.run();
      done.countDown();
    }
  }

  private void awaitReleased() {
    try {
      if (!done.await(CONCURRENT_CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.debug("a concurrent close is still under way");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether the connection is gone for good: released, closed by whoever owns it (the caller's
   * connection or client), or left without event loops (its {@code ClientResources} shut down). A
   * connection that lost its socket is not gone: Lettuce reconnects it.
   */
  public boolean isGone() {
    return released.get() || closedByLettuce(connection);
  }

  /**
   * Like {@link #isGone()}, also reading {@code failure}: Lettuce stops its timer before it marks
   * its event loops as shutting down, so for a moment commands fail with the stopped timer's (or a
   * terminated event loop's) error before {@link #isGone()} says so.
   */
  public boolean isGone(Throwable failure) {
    if (isGone()) {
      return true;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RejectedExecutionException) { // "event executor terminated"
        return true;
      }
      if (t instanceof RedisException && "Connection is closed".equals(t.getMessage())) {
        return true; // Lettuce says so only of a connection closed for good (not "not connected")
      }
      StackTraceElement[] at = t.getStackTrace();
      if (t instanceof IllegalStateException
          && at.length > 0
          && at[0].getClassName().equals("io.netty.util.HashedWheelTimer")) {
        return true; // "cannot be started once stopped"
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Whether {@code connection} was closed (a second close would make Lettuce log a WARN). */
  static boolean isClosedHandler(StatefulConnection<?, ?> connection) {
    return connection instanceof RedisChannelHandler<?, ?> handler && handler.isClosed();
  }

  /** Whether Lettuce closed {@code connection}, or its event loops are shutting down. */
  static boolean closedByLettuce(StatefulConnection<?, ?> connection) {
    try {
      if (connection instanceof RedisChannelHandler<?, ?> handler && handler.isClosed()) {
        return true;
      }
      ClientResources resources = connection.getResources();
      return resources != null && resources.eventExecutorGroup().isShuttingDown();
    } catch (RuntimeException e) {
      return false; // a connection type we do not know: assume it is alive
    }
  }

  /** Tells {@code listener} (null for none) when the socket is lost and when it is back. */
  public void watchLink(ReachabilityListener listener) {
    this.link = listener;
  }

  /** Whether the socket is open now. */
  public boolean isOpen() {
    try {
      return connection.isOpen();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether {@link #release()} has been called. */
  public boolean isReleased() {
    return released.get();
  }

  @Override
  public String toString() {
    return "RedisConnection["
        + (owned ? "owned" : "borrowed")
        + (released.get() ? ", released]" : "]");
  }

  private final class Listener implements RedisConnectionStateListener {
    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
      CompletableFuture<Void> done;
      synchronized (RedisConnection.this) {
        generation++;
        dropRequested = false;
        done = nextGeneration;
        nextGeneration = new CompletableFuture<>();
      }
      log.debug("{} (re)connected to {}", RedisConnection.this, address);
      done.complete(null);
      ReachabilityListener l = link;
      if (l != null) {
        l.answered();
      }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
      boolean ours;
      synchronized (RedisConnection.this) {
        ours = dropRequested; // dropped on purpose to move to a new master
      }
      ReachabilityListener l = link;
      if (l != null && !ours && !released.get()) {
        l.disconnected();
      }
    }
  }
}

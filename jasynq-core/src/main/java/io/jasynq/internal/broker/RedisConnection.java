package io.jasynq.internal.broker;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * A Lettuce connection plus who owns it. {@link #release()} closes an owned connection and leaves a
 * borrowed one alone; it is idempotent and never throws. Commands are dispatched with their own
 * byte-array codec, so a borrowed connection works whatever codec its owner chose.
 */
public final class RedisConnection {
  /** How long a second release waits for a first one that is still closing the connection. */
  static final long CONCURRENT_CLOSE_WAIT_SECONDS = 10;

  private final StatefulConnection<?, ?> connection;
  private final boolean owned;
  private final Runnable onRelease;
  private final AtomicBoolean released = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);

  /**
   * @param connection the Lettuce connection
   * @param owned whether {@link #release()} closes it
   * @param onRelease run once on release (the source forgets the connection), never throws
   */
  public RedisConnection(StatefulConnection<?, ?> connection, boolean owned, Runnable onRelease) {
    this.connection = connection;
    this.owned = owned;
    this.onRelease = onRelease;
  }

  @SuppressWarnings("unchecked")
  StatefulConnection<byte[], byte[]> raw() {
    return (StatefulConnection<byte[], byte[]>) connection;
  }

  /** Whether {@link #release()} closes the connection. */
  public boolean owned() {
    return owned;
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
      if (owned && !closedByLettuce(connection)) { // closing twice makes Lettuce log a WARN
        connection.close();
      }
    } catch (RuntimeException e) {
      // Already closed, or its event loops are gone: nothing is left to release.
      LoggerFactory.getLogger(RedisConnection.class)
          .debug("closing a connection failed; ignored", e);
    } finally {
      onRelease.run();
      done.countDown();
    }
  }

  private void awaitReleased() {
    try {
      if (!done.await(CONCURRENT_CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LoggerFactory.getLogger(getClass()).debug("a concurrent close is still under way");
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
}

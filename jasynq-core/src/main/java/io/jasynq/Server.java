package io.jasynq;

import io.jasynq.internal.Closer;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Connectors;
import io.jasynq.internal.broker.EventLoops;
import io.jasynq.internal.server.ServerRuntime;
import io.jasynq.redis.RedisConnector;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Processes tasks: a pool of workers that fetch from the configured queues under a lease, run the
 * {@link Handler}, and retry, archive or complete each task, plus the background parts that forward
 * due tasks, recover tasks of dead workers, delete expired completed tasks and publish the server's
 * state. It reads and writes exactly what Go Asynq does, so Go and Java servers can share queues.
 *
 * <pre>{@code
 * ServeMux mux = new ServeMux()
 *     .handle("email:", ctx -> sendEmail(ctx.task().payload()));
 * try (Server server = Server.connect("redis://localhost:6379", ServerConfig.defaults())) {
 *   server.run(mux); // until SIGINT or SIGTERM, then a graceful shutdown
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> {@code new} → {@link #start(Handler)} → {@code active} → {@link #stop()}
 * (quiet: no new tasks) → {@link #shutdown()} → {@code closed}. Shutdown stops fetching, tells
 * running handlers to stop ({@link TaskContext#isCancelled()} turns true at once; see {@link
 * Handler}), waits up to the shutdown timeout for them, interrupts and requeues what still runs,
 * stops the parts, clears the server's state in Redis and closes what the server owns: in that
 * order, once, from any thread, without throwing. {@link #close()} is {@link #shutdown()}. No
 * JVM-wide hook is installed unless {@link #run(Handler)} is used. {@link #toString()} works in
 * every state.
 *
 * <p><b>Ownership</b> is the {@link Client}'s: {@link #connect} owns its connection, {@link
 * #create} never closes the caller's connector.
 *
 * @since 0.1
 */
public final class Server implements AutoCloseable {
  private enum State {
    NEW,
    ACTIVE,
    STOPPED,
    CLOSING,
    CLOSED
  }

  private final ServerConfig config;
  private final Broker broker;
  private final Closer closer;
  private final String description;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile ServerRuntime runtime;

  private Server(RedisConnector connector, String uri, ServerConfig config) {
    this.config = Objects.requireNonNull(config, "config == null");
    Closer closer = new Closer();
    try {
      if (connector == null) {
        connector = RedisConnector.create(uri);
        closer.register("redis connector", connector::close);
      }
      var source = Connectors.sourceOf(connector);
      this.broker = Broker.open(source);
      closer.register("broker", broker::close);
      this.description = source.description();
    } catch (RuntimeException e) {
      closer.close();
      throw e;
    }
    this.closer = closer;
  }

  /**
   * A server with its own connection to {@code redisUri}, closed at shutdown.
   *
   * @throws IllegalArgumentException if the URI is invalid
   * @throws JasynqException if Redis cannot be reached
   */
  public static Server connect(String redisUri, ServerConfig config) {
    Objects.requireNonNull(redisUri, "redisUri == null");
    return new Server(null, redisUri, config);
  }

  /**
   * A server on the caller's connector, which it never closes.
   *
   * @throws IllegalStateException if the connector is closed
   */
  public static Server create(RedisConnector connector, ServerConfig config) {
    Objects.requireNonNull(connector, "connector == null");
    return new Server(connector, null, config);
  }

  /**
   * Starts the workers and background parts and returns.
   *
   * @throws IllegalStateException if the server was already started or is closed
   */
  public void start(Handler handler) {
    Objects.requireNonNull(handler, "handler == null");
    if (!state.compareAndSet(State.NEW, State.ACTIVE)) {
      throw new IllegalStateException(
          state.get() == State.ACTIVE || state.get() == State.STOPPED
              ? "server is already running"
              : "server is closed");
    }
    ServerRuntime r = new ServerRuntime(broker, config, handler, this::status);
    runtime = r;
    r.start();
  }

  /**
   * Starts, then blocks until the JVM is asked to exit (SIGINT, SIGTERM) or another thread shuts
   * the server down, and shuts down gracefully. Installs a JVM shutdown hook for its duration.
   */
  public void run(Handler handler) {
    start(handler);
    Thread hook = new Thread(this::shutdown, "jasynq-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdown();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is exiting: the hook is running or has run.
      }
    }
  }

  /** Stops taking new tasks; running ones finish (Asynq's TSTP). Idempotent. */
  public void stop() {
    if (state.compareAndSet(State.ACTIVE, State.STOPPED)) {
      runtime.stopFetching();
    }
  }

  /**
   * Shuts down gracefully (see the class comment) and returns when done. Idempotent and
   * thread-safe: later callers wait for the first to finish. Never throws.
   *
   * <p>From a handler, it returns once the other workers are done (its own task is requeued). From
   * a Redis completion callback (one of Lettuce's event-loop threads), it returns at once and the
   * shutdown finishes on a short-lived {@code jasynq-close} thread.
   */
  public void shutdown() {
    State previous =
        state.getAndUpdate(s -> s == State.CLOSING || s == State.CLOSED ? s : State.CLOSING);
    if (previous == State.CLOSING || previous == State.CLOSED) {
      if (Thread.currentThread().getName().startsWith("jasynq-worker")
          || EventLoops.onNettyThread()) {
        return; // called from a handler or a Redis callback: waiting would wait for ourselves
      }
      awaitClosed();
      return;
    }
    if (EventLoops.onNettyThread()) {
      // From a Redis completion callback: stopping waits for Redis replies that this very thread
      // would deliver, so the shutdown runs on a thread of its own.
      Thread closing = new Thread(this::release, "jasynq-close");
      closing.setDaemon(true);
      closing.start();
      return;
    }
    release();
  }

  private void release() {
    try {
      ServerRuntime r = runtime;
      if (r != null) {
        r.shutdown();
      }
    } finally {
      closer.close();
      state.set(State.CLOSED);
      closed.countDown();
    }
  }

  /** Same as {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }

  /** Checks that Redis answers; on a closed server it returns without I/O (as Asynq's Ping). */
  public void ping() {
    if (state.get() == State.CLOSED) {
      return;
    }
    broker.await(broker.ping());
  }

  /** This server's ID, as shown by {@code asynq server ls}; null before start. */
  public String serverId() {
    ServerRuntime r = runtime;
    return r == null ? null : r.identity().serverId();
  }

  @Override
  public String toString() {
    ServerRuntime r = runtime;
    return "Server["
        + description
        + ", "
        + status()
        + (r == null ? "" : ", id=" + r.identity().serverId())
        + "]";
  }

  private String status() {
    return switch (state.get()) {
      case NEW -> "new";
      case ACTIVE -> "active";
      case STOPPED -> "stopped";
      case CLOSING, CLOSED -> "closed";
    };
  }

  private void awaitClosed() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

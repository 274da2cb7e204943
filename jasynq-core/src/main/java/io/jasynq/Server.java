package io.jasynq;

import io.jasynq.internal.Closer;
import io.jasynq.internal.Lifecycle;
import io.jasynq.internal.Signals;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.connection.EventLoops;
import io.jasynq.internal.server.ServerRuntime;
import io.jasynq.redis.RedisConnector;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
  private final ServerConfig config;
  private final Broker broker;
  private final Closer closer;
  private final String description;
  // Running is Asynq's "active", stopped its "stopped" (quiet: no new tasks).
  private final Lifecycle lifecycle = Lifecycle.startable("server");
  private volatile @Nullable ServerRuntime runtime;

  private Server(@Nullable RedisConnector connector, @Nullable String uri, ServerConfig config) {
    this.config = Objects.requireNonNull(config, "config == null");
    BrokerHandle handle = BrokerHandle.open(uri, connector);
    this.broker = handle.broker;
    this.closer = handle.closer;
    this.description = handle.source.description();
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
    lifecycle.start();
    ServerRuntime r = new ServerRuntime(broker, config, handler, this::status);
    runtime = r;
    r.start();
  }

  /**
   * Starts, then blocks until the JVM is asked to exit (SIGINT, SIGTERM) or another thread shuts
   * the server down, and shuts down gracefully. Installs a JVM shutdown hook for its duration,
   * before starting: a signal that arrives while the server starts shuts it down once started.
   * Called while the JVM is already exiting, it starts nothing, closes the server and returns.
   */
  public void run(Handler handler) {
    Objects.requireNonNull(handler, "handler == null");
    Signals.runUntilExit(() -> start(handler), this::shutdown, lifecycle.closed());
  }

  /** Stops taking new tasks; running ones finish (Asynq's TSTP). Idempotent. */
  public void stop() {
    if (lifecycle.stop()) {
      Objects.requireNonNull(runtime).stopFetching();
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
    if (EventLoops.onNettyThread()) {
      // From a Redis completion callback: stopping waits for Redis replies that this very thread
      // would deliver, so the shutdown runs on a thread of its own.
      lifecycle.closeInBackground(this::release, "jasynq-close");
    } else if (Thread.currentThread().getName().startsWith("jasynq-worker")) {
      // From a handler: the shutdown requeues its own task, but waiting for another caller's
      // shutdown would wait for ourselves.
      lifecycle.closeWithoutWaiting(this::release);
    } else {
      lifecycle.close(this::release);
    }
  }

  private void release() {
    try {
      ServerRuntime r = runtime;
      if (r != null) {
        r.shutdown();
      }
    } finally {
      closer.close();
    }
  }

  /** Same as {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }

  /** Checks that Redis answers; on a closed server it returns without I/O (as Asynq's Ping). */
  public void ping() {
    if (lifecycle.state() == Lifecycle.State.CLOSED) {
      return;
    }
    broker.await(broker.ping());
  }

  /** This server's ID, as shown by {@code asynq server ls}; null before start. */
  public @Nullable String serverId() {
    ServerRuntime r = runtime;
    return r == null ? null : r.identity().id();
  }

  @Override
  public String toString() {
    ServerRuntime r = runtime;
    return "Server["
        + description
        + ", "
        + status()
        + (r == null ? "" : ", id=" + r.identity().id())
        + "]";
  }

  private String status() {
    return switch (lifecycle.state()) { // Asynq's words, as heartbeats write them
      case NEW -> "new";
      case RUNNING -> "active";
      case STOPPED -> "stopped";
      case CLOSING, CLOSED -> "closed";
    };
  }
}

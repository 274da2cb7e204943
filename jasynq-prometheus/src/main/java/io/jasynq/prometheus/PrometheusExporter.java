package io.jasynq.prometheus;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.jasynq.Inspector;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves jasynq's queue metrics to Prometheus, in the text format 0.0.4, with exactly the names,
 * label names, help texts and types of Go Asynq's {@code x/metrics} queue collector:
 *
 * <pre>
 * asynq_tasks_enqueued_total{queue,state}      gauge    (state: active, archived, completed,
 *                                                         pending, retry, scheduled)
 * asynq_queue_size{queue}                      gauge
 * asynq_queue_latency_seconds{queue}           gauge
 * asynq_queue_memory_usage_approx_bytes{queue} gauge    (only where the estimate is known)
 * asynq_queue_paused_total{queue}              gauge    (1 paused, 0 not)
 * asynq_tasks_processed_total{queue}           counter
 * asynq_tasks_failed_total{queue}              counter
 * jasynq_exporter_refresh_errors_total         counter  (failed reads of queue stats)
 * jasynq_exporter_last_refresh_timestamp_seconds gauge  (last refresh that read every queue)
 * </pre>
 *
 * followed by the scrape of an optional Micrometer {@link PrometheusMeterRegistry}.
 *
 * <p>Unlike asynq's collector, which reads Redis on every scrape, one daemon thread named {@code
 * jasynq-prometheus} refreshes the queue stats every {@linkplain Builder#refreshInterval refresh
 * interval}, and {@link #scrape()} serves the last snapshot: a scrape never waits on Redis. A queue
 * whose stats cannot be read (Redis down, a key of the wrong type) keeps its last values, or is
 * left out if it never had any; each failed read counts in {@code
 * jasynq_exporter_refresh_errors_total}, and {@code jasynq_exporter_last_refresh_timestamp_seconds}
 * stops moving, so staleness shows.
 *
 * <p>The {@link Inspector} and the registry are borrowed: {@link #close()} never closes them.
 * Thread-safe.
 *
 * <pre>{@code
 * try (Inspector inspector = Inspector.connect("redis://localhost:6379");
 *     PrometheusExporter exporter = PrometheusExporter.builder(inspector).build();
 *     PrometheusExporter.Server server =
 *         exporter.serve(new InetSocketAddress("127.0.0.1", 9101))) {
 *   ... // http://127.0.0.1:9101/metrics
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class PrometheusExporter implements AutoCloseable {
  /** The default {@linkplain Builder#refreshInterval refresh interval}: 15 seconds. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(15);

  /** The shortest refresh interval accepted: 1 second. */
  public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

  /** The content type of {@link #scrape()}'s text: {@value}. */
  public static final String CONTENT_TYPE = MetricsHandler.CONTENT_TYPE;

  private static final Logger log = LoggerFactory.getLogger(PrometheusExporter.class);
  private static final long STOP_WAIT_SECONDS = 10;

  // Immutable after construction.
  private final Inspector inspector;
  private final @Nullable PrometheusMeterRegistry registry;
  private final Duration refreshInterval;
  private final QueueSnapshots snapshots;
  private final ScheduledExecutorService refresher;
  private final ExporterThreads refresherThreads = new ExporterThreads("jasynq-prometheus");
  private final HttpHandler handler = new MetricsHandler(this::scrape);

  // Shared.
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Server> servers = new CopyOnWriteArrayList<>();

  private PrometheusExporter(Builder b) {
    this.inspector = b.inspector;
    this.registry = b.registry;
    this.refreshInterval = b.refreshInterval;
    this.snapshots = new QueueSnapshots(b.inspector, b.clock);
    this.refresher = Executors.newSingleThreadScheduledExecutor(refresherThreads);
    refresher.scheduleWithFixedDelay(
        snapshots::refresh, 0, refreshInterval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * A builder over {@code inspector}, which the exporter borrows and never closes.
   *
   * @param inspector reads the queue stats; must stay open while the exporter runs
   * @return a builder with the defaults: no registry, {@link #DEFAULT_REFRESH_INTERVAL}
   * @throws NullPointerException if {@code inspector} is null
   */
  public static Builder builder(Inspector inspector) {
    return new Builder(Objects.requireNonNull(inspector, "inspector == null"));
  }

  /**
   * The metrics as Prometheus text format 0.0.4: asynq's queue metrics from the last refresh (none
   * before the first), the exporter's own two, then the registry's scrape if one was given. Never
   * touches Redis and never fails: a registry whose scrape throws is left out (logged).
   *
   * @return the text, one metric family after another, ending in a line feed
   * @throws IllegalStateException if the exporter is closed
   */
  public String scrape() {
    ensureOpen();
    StringBuilder text = new StringBuilder(4096);
    SnapshotWriter.write(snapshots.current(), new TextFormat(text));
    if (registry != null) {
      try {
        text.append(registry.scrape());
      } catch (RuntimeException e) {
        log.warn("Prometheus exporter: the registry's scrape failed; left out", e);
      }
    }
    return text.toString();
  }

  /**
   * An HTTP handler serving {@link #scrape()}, to mount on your own {@link HttpServer}: {@code GET}
   * answers 200 with {@link #CONTENT_TYPE}; any other method 405. After {@link #close()} requests
   * fail with 500 (the JDK server's answer to the handler's {@link IllegalStateException}).
   *
   * @return the handler, the same on each call; thread-safe
   */
  public HttpHandler httpHandler() {
    return handler;
  }

  /**
   * Starts a JDK {@link HttpServer} on {@code address} serving {@link #httpHandler()} at {@code
   * /metrics}, on one daemon thread {@code jasynq-prometheus-http} (plus the JDK's own dispatcher
   * thread). {@link #close()} also stops every server started here.
   *
   * @param address where to listen; port 0 picks a free port (see {@link Server#port()})
   * @return the running server; the caller may close it earlier
   * @throws NullPointerException if {@code address} is null
   * @throws UncheckedIOException if the address cannot be bound
   * @throws IllegalStateException if the exporter is closed
   */
  public Server serve(InetSocketAddress address) {
    Objects.requireNonNull(address, "address == null");
    ensureOpen();
    Server server = new Server(address, handler, servers::remove);
    servers.add(server);
    if (closed.get()) {
      server.close();
      ensureOpen();
    }
    return server;
  }

  /** The refresh interval this exporter was built with. */
  public Duration refreshInterval() {
    return refreshInterval;
  }

  /**
   * Stops the servers started by {@link #serve}, then the refresh thread (waiting up to 10 s for a
   * refresh in progress). Idempotent and thread-safe; never closes the inspector or the registry.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Server server : List.copyOf(servers)) {
      server.close();
    }
    stop(refresher, refresherThreads);
  }

  /** Runs one refresh on the refresh thread and waits for it: tests' way to skip the interval. */
  void refreshNow() {
    try {
      refresher.submit(snapshots::refresh).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while refreshing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("refresh failed", e.getCause());
    }
  }

  @Override
  public String toString() {
    return "PrometheusExporter{"
        + inspector
        + ", every "
        + refreshInterval
        + (registry == null ? "" : ", with a registry")
        + (closed.get() ? ", closed" : "")
        + "}";
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Prometheus exporter is closed");
    }
  }

  static void stop(ExecutorService executor, ExporterThreads threads) {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)
          || !threads.awaitEnded(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS))) {
        log.warn("Prometheus exporter: a thread did not stop within {} s", STOP_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Builds a {@link PrometheusExporter}. Not thread-safe; use it from one thread.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Inspector inspector;
    private @Nullable PrometheusMeterRegistry registry;
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
    private Clock clock = Clock.systemUTC();

    private Builder(Inspector inspector) {
      this.inspector = inspector;
    }

    /**
     * A Micrometer registry whose {@link PrometheusMeterRegistry#scrape() scrape()} is appended to
     * every scrape (the {@code jasynq_*} meters another module binds, say). Borrowed: never closed.
     * Default: none.
     *
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public Builder registry(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry == null");
      return this;
    }

    /**
     * How long the refresh thread waits between two refreshes of the queue stats (each one a few
     * Redis round trips per queue). Default {@link #DEFAULT_REFRESH_INTERVAL}.
     *
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is shorter than {@link
     *     #MIN_REFRESH_INTERVAL}
     */
    public Builder refreshInterval(Duration interval) {
      Objects.requireNonNull(interval, "refreshInterval == null");
      if (interval.compareTo(MIN_REFRESH_INTERVAL) < 0) {
        throw new IllegalArgumentException("refreshInterval must be >= 1 s, was " + interval);
      }
      this.refreshInterval = interval;
      return this;
    }

    /** The clock of the last-refresh timestamp; tests give a fake one. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Builds the exporter and starts its refresh thread, which reads the stats right away.
     *
     * @return a running exporter; close it
     */
    public PrometheusExporter build() {
      return new PrometheusExporter(this);
    }
  }

  /**
   * A JDK {@link HttpServer} serving the exporter at {@code /metrics}, started by {@link
   * PrometheusExporter#serve}. Closing it stops the server and its thread; it does not close the
   * exporter. Idempotent and thread-safe.
   *
   * @since 0.1
   */
  public static final class Server implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService executor;
    private final ExporterThreads threads;
    private final java.util.function.Consumer<Server> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Server(
        InetSocketAddress address,
        HttpHandler handler,
        java.util.function.Consumer<Server> onClose) {
      this.onClose = onClose;
      try {
        this.http = HttpServer.create(address, 0);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
      }
      this.threads = new ExporterThreads("jasynq-prometheus-http");
      this.executor = Executors.newSingleThreadExecutor(threads);
      http.setExecutor(executor);
      http.createContext("/metrics", handler);
      http.start();
    }

    /**
     * The port the server listens on: the one asked for, or the one picked for port 0.
     *
     * @return the bound port
     */
    public int port() {
      return http.getAddress().getPort();
    }

    /**
     * The address the server is bound to.
     *
     * @return the bound host and port
     */
    public InetSocketAddress address() {
      return http.getAddress();
    }

    /** Stops listening, then the server's thread. Idempotent. */
    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      http.stop(0);
      stop(executor, threads);
      onClose.accept(this);
    }

    @Override
    public String toString() {
      return "PrometheusExporter.Server{" + address() + (closed.get() ? ", closed" : "") + "}";
    }
  }
}

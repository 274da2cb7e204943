package io.jasynq.cli;

import io.jasynq.micrometer.JasynqMetrics;
import io.jasynq.micrometer.QueueMetrics;
import io.jasynq.prometheus.PrometheusExporter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jasynq metrics}: serves Go Asynq's queue metrics (same names, labels and types as asynq's
 * {@code x/metrics} collector) and jasynq's own queue gauges ({@code jasynq_queue_*}, from
 * jasynq-micrometer) at {@code http://HOST:PORT/metrics} for Prometheus, until SIGINT or SIGTERM.
 * The stats are read every {@code --interval} in the background; scrapes never wait on Redis.
 */
@Command(
    name = "metrics",
    description = {
      "Serve Prometheus metrics of every queue at http://HOST:PORT/metrics until interrupted.",
      "Asynq's metric names (asynq_queue_size, asynq_tasks_enqueued_total, ...), so Grafana"
          + " dashboards made for asynq work unchanged."
    })
final class MetricsCommand extends CliCommand {
  static final String DEFAULT_LISTEN = "127.0.0.1:9101";

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Where to listen (default: ${DEFAULT-VALUE}; :PORT for every interface).")
  String listen = DEFAULT_LISTEN;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "How often to read the queue stats from Redis (default: ${DEFAULT-VALUE}).")
  String interval = "15s";

  // Shared between the command's thread and a shutdown hook or a test.
  private final UntilStopped until = new UntilStopped();

  @Override
  int execute() {
    Duration every = refreshInterval();
    InetSocketAddress address = address();
    until.arm("jasynq-metrics-shutdown");
    // Closed in reverse: the exporter and its server, the queue meters, then the registry.
    try (PrometheusMeterRegistryHandle registry = new PrometheusMeterRegistryHandle();
        QueueMetrics queues =
            JasynqMetrics.builder(registry.registry).build().bindQueues(inspector(), every);
        PrometheusExporter exporter =
            PrometheusExporter.builder(inspector())
                .registry(registry.registry)
                .refreshInterval(every)
                .build();
        PrometheusExporter.Server server = serve(exporter, address)) {
      out().println("serving Prometheus metrics on " + url(address, server.port()));
      out().flush();
      until.await();
    } finally {
      until.close();
    }
    return 0;
  }

  /** A Prometheus registry, closed by try-with-resources. */
  private static final class PrometheusMeterRegistryHandle implements AutoCloseable {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Override
    public void close() {
      registry.close();
    }
  }

  /** Ends the command: what SIGINT and SIGTERM do, through the shutdown hook; tests call it. */
  void stop() {
    until.stop();
  }

  private static PrometheusExporter.Server serve(
      PrometheusExporter exporter, InetSocketAddress address) {
    try {
      return exporter.serve(address);
    } catch (UncheckedIOException e) {
      throw new CliException(
          "cannot listen on "
              + address.getHostString()
              + ":"
              + address.getPort()
              + ": "
              + Objects.requireNonNull(e.getCause()).getMessage());
    }
  }

  private Duration refreshInterval() {
    Duration d = Durations.parse("--interval", interval);
    if (d.compareTo(PrometheusExporter.MIN_REFRESH_INTERVAL) < 0) {
      throw new UsageException("--interval must be at least 1s, was \"" + interval + "\"");
    }
    return d;
  }

  /** {@code host:port}, {@code [v6]:port} or {@code :port} (every interface). */
  InetSocketAddress address() {
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw badListen();
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw badListen();
    }
    if (port < 0 || port > 65535) {
      throw badListen();
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  private UsageException badListen() {
    return new UsageException(
        "--listen must be HOST:PORT like " + DEFAULT_LISTEN + ", was \"" + listen + "\"");
  }

  private static String url(InetSocketAddress address, int port) {
    String host = address.getHostString();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/metrics";
  }
}

package io.jasynq.examples.worker;

import io.jasynq.Inspector;
import io.jasynq.Scheduler;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskContext;
import io.jasynq.micrometer.JasynqMetrics;
import io.jasynq.micrometer.QueueMetrics;
import io.jasynq.opentelemetry.JasynqTelemetry;
import io.jasynq.prometheus.PrometheusExporter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: a {@link Server} that handles the producer example's tasks and a {@link
 * Scheduler} that enqueues a {@code clock:tick} every 10 seconds, both started without blocking and
 * stopped together on Ctrl-C (SIGINT) or SIGTERM. It serves Prometheus metrics at {@code
 * http://127.0.0.1:9102/metrics} ({@code METRICS_PORT} sets the port; 0 picks a free one) and
 * traces each task when the OpenTelemetry Java agent is attached.
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 ./mvnw -q -pl examples/worker -am compile exec:java
 * </pre>
 */
public final class Worker {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private Worker() {}

  public static void main(String[] args) throws InterruptedException {
    String redisUri = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    int metricsPort = Integer.parseInt(System.getenv().getOrDefault("METRICS_PORT", "9102"));
    InetSocketAddress metricsAddress = new InetSocketAddress("127.0.0.1", metricsPort);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    // On SIGINT/SIGTERM: ask run() to stop, and keep the JVM up until it has shut down cleanly.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  try {
                    stopped.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    try {
      run(redisUri, metricsAddress, "@every 10s", stop, event -> log.info(event));
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Runs a server and a scheduler until {@code stop} is counted down, then shuts both down; serves
   * metrics at {@code /metrics} on {@code metricsAddress} meanwhile.
   *
   * @param metricsAddress where to serve metrics; port 0 picks a free port
   * @param tickSpec the cron spec of the {@code clock:tick} entry
   * @param events hears the metrics URL once, then one line per handled task
   */
  @SuppressWarnings("try") // queueMetrics is only there to be closed
  public static void run(
      String redisUri,
      InetSocketAddress metricsAddress,
      String tickSpec,
      CountDownLatch stop,
      Consumer<String> events)
      throws InterruptedException {
    ServeMux mux =
        new ServeMux()
            .handle("email:", ctx -> events.accept("sent " + describe(ctx)))
            .handle("clock:tick", ctx -> events.accept("tick " + ctx.taskId()));
    // jasynq_* meters (tasks processed, execution times, queue gauges) in a Prometheus registry.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JasynqMetrics metrics = JasynqMetrics.builder(registry).build();
    // A span per task. A no-op unless the OpenTelemetry Java agent (or the SDK's autoconfiguration)
    // has installed an SDK as the global OpenTelemetry; see examples/README.md.
    JasynqTelemetry telemetry = JasynqTelemetry.builder(GlobalOpenTelemetry.get()).build();
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(4)
            .queue("default", 3)
            .queue("low", 1)
            .shutdownTimeout(Duration.ofSeconds(5))
            .listener(metrics.serverListener())
            .middleware(telemetry.middleware())
            .build();
    // /metrics serves asynq's queue metrics (asynq_*) followed by the registry's (jasynq_*).
    try (Inspector inspector = Inspector.connect(redisUri);
        QueueMetrics queueMetrics = metrics.bindQueues(inspector, Duration.ofSeconds(15));
        PrometheusExporter exporter =
            PrometheusExporter.builder(inspector).registry(registry).build();
        PrometheusExporter.Server http = exporter.serve(metricsAddress)) {
      events.accept("metrics at http://" + hostAndPort(http.address()) + "/metrics");
      // Closing (here, in reverse order) stops the scheduler, then shuts the server down
      // gracefully.
      try (Server server = Server.connect(redisUri, config);
          Scheduler scheduler = Scheduler.connect(redisUri)) {
        scheduler.register(tickSpec, Task.of("clock:tick"));
        server.start(mux); // returns at once; workers run on their own threads
        scheduler.start(); // returns at once
        log.info("worker {} running; Ctrl-C to stop", server.serverId());
        stop.await();
        log.info("stopping");
      }
    }
  }

  private static String hostAndPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  private static String describe(TaskContext ctx) {
    return ctx.task().type()
        + " "
        + new String(ctx.task().payload(), StandardCharsets.UTF_8)
        + " (task "
        + ctx.taskId()
        + ")";
  }
}

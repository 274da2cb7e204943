package io.jasynq.examples.worker;

import io.jasynq.Scheduler;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: a {@link Server} that handles the producer example's tasks and a {@link
 * Scheduler} that enqueues a {@code clock:tick} every 10 seconds, both started without blocking and
 * stopped together on Ctrl-C (SIGINT) or SIGTERM.
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
      run(redisUri, "@every 10s", stop, event -> log.info(event));
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Runs a server and a scheduler until {@code stop} is counted down, then shuts both down.
   *
   * @param tickSpec the cron spec of the {@code clock:tick} entry
   * @param events hears one line per handled task
   */
  public static void run(
      String redisUri, String tickSpec, CountDownLatch stop, Consumer<String> events)
      throws InterruptedException {
    ServeMux mux =
        new ServeMux()
            .handle("email:", ctx -> events.accept("sent " + describe(ctx)))
            .handle("clock:tick", ctx -> events.accept("tick " + ctx.taskId()));
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(4)
            .queue("default", 3)
            .queue("low", 1)
            .shutdownTimeout(Duration.ofSeconds(5))
            .build();
    // Closing (here, in reverse order) stops the scheduler, then shuts the server down gracefully.
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

  private static String describe(TaskContext ctx) {
    return ctx.task().type()
        + " "
        + new String(ctx.task().payload(), StandardCharsets.UTF_8)
        + " (task "
        + ctx.taskId()
        + ")";
  }
}

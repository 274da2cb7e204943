package io.jasynq.dashboard;

import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.QueueInfo;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.testkit.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real jasynq server on queue {@value #QUEUE} that leaves one task in each state only a server
 * can make: {@code active} (blocked until closed or cancelled), {@code retry} (failed once, retried
 * much later) and {@code completed} (kept an hour, with a result).
 */
final class Workers implements AutoCloseable {
  static final String QUEUE = "work";
  static final String ACTIVE = "w-active";
  static final String RETRY = "w-retry";
  static final String COMPLETED = "w-completed";

  private final CountDownLatch release = new CountDownLatch(1);
  private final Server server;

  private Workers(String uri) {
    ServeMux mux = new ServeMux();
    mux.handle(
        "fail",
        ctx -> {
          throw new IllegalStateException("boom");
        });
    mux.handle("ok", ctx -> ctx.writeResult("{\"sent\":true}".getBytes(StandardCharsets.UTF_8)));
    mux.handle(
        "block",
        ctx -> {
          while (!release.await(20, TimeUnit.MILLISECONDS)) {
            if (ctx.isCancelled()) {
              throw new IllegalStateException("cancelled");
            }
          }
        });
    server =
        Server.connect(
            uri,
            ServerConfig.builder()
                .concurrency(4)
                .queue(QUEUE, 1)
                .heartbeatInterval(Duration.ofMillis(200))
                .build());
    server.start(mux);
  }

  /** Starts the server, enqueues the three tasks and waits until each is in its state. */
  static Workers start(String uri, Inspector inspector) {
    Workers w = new Workers(uri);
    try (Client client = Client.connect(uri)) {
      client.enqueue(Task.of("fail", "{\"n\":1}"), queue(QUEUE), taskId(RETRY), maxRetry(5));
      client.enqueue(
          Task.of("ok", "{\"to\":\"a@b.c\"}"),
          queue(QUEUE),
          taskId(COMPLETED),
          retention(Duration.ofHours(1)));
      client.enqueue(Task.of("block", "zzz"), queue(QUEUE), taskId(ACTIVE));
    }
    Eventually.until(
        "one active, one retry and one completed task, and the server reporting only the active one",
        () -> {
          QueueInfo q = inspector.queueInfo(QUEUE);
          return q.active() == 1
              && q.retry() == 1
              && q.completed() == 1
              && inspector.servers().stream()
                  .anyMatch(
                      s ->
                          s.activeWorkers().size() == 1
                              && s.activeWorkers().get(0).taskId().equals(ACTIVE));
        });
    return w;
  }

  @Override
  public void close() {
    release.countDown();
    server.close();
  }
}

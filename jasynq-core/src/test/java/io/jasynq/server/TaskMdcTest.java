package io.jasynq.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** While a handler runs, the task's ID, type and queue are in the SLF4J MDC; never after. */
@RedisTest
class TaskMdcTest {
  private final RedisServer redisServer;

  TaskMdcTest(RedisServer redisServer) {
    this.redisServer = redisServer;
  }

  @Test
  void handlerSeesTaskInMdcAndWorkerThreadsEndWithoutIt() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    List<Map<String, String>> leftOnExit = new CopyOnWriteArrayList<>();
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(1)
            .queue("mdc", 1)
            .taskCheckInterval(Duration.ofMillis(20))
            .errorHandler((ctx, e) -> {}) // quiet: failures are reported here
            // Each worker thread records its MDC when it ends, after its last task.
            .threadFactory(
                r ->
                    new Thread(
                        () -> {
                          try {
                            r.run();
                          } finally {
                            Map<String, String> mdc = MDC.getCopyOfContextMap();
                            leftOnExit.add(mdc == null ? Map.of() : mdc);
                          }
                        }))
            .build();
    TaskInfo info;
    try (Client client = Client.connect(redisServer.uri())) {
      info = client.enqueue(Task.of("mdc:check"), TaskOption.queue("mdc"));
    }
    try (Server server = Server.connect(redisServer.uri(), config)) {
      server.start(
          ctx -> {
            seen.put("id", String.valueOf(MDC.get("jasynq.task_id")));
            seen.put("type", String.valueOf(MDC.get("jasynq.task_type")));
            seen.put("queue", String.valueOf(MDC.get("jasynq.queue")));
            throw new IllegalStateException("fails, so the outcome is recorded on this thread");
          });
      Eventually.until("handler ran", () -> seen.size() == 3);
    }
    assertThat(seen)
        .containsEntry("id", info.id())
        .containsEntry("type", "mdc:check")
        .containsEntry("queue", "mdc");
    Eventually.until("worker threads ended", () -> !leftOnExit.isEmpty());
    assertThat(leftOnExit)
        .allSatisfy(
            mdc ->
                assertThat(mdc)
                    .doesNotContainKeys("jasynq.task_id", "jasynq.task_type", "jasynq.queue"));
  }
}

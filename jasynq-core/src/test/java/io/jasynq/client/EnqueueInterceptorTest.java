package io.jasynq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.EnqueueInterceptor;
import io.jasynq.Inspector;
import io.jasynq.Middleware;
import io.jasynq.Page;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.Task;
import io.jasynq.TaskIdConflictException;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import io.jasynq.support.ServerConfigs;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Client interceptors run around every enqueue, and pair with server middleware. */
@RedisTest
class EnqueueInterceptorTest {
  private final RedisServer redisServer;
  private final TestRedis redis;

  EnqueueInterceptorTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  /** Adds header {@code name} and records what it saw and the outcome. */
  static EnqueueInterceptor tagging(String name, List<String> log) {
    return call -> {
      log.add(
          name
              + " saw "
              + call.task().headers().keySet()
              + " q="
              + call.queue()
              + " n="
              + call.batchSize());
      return call.proceed(call.task().withHeaders(Map.of(name, "1")))
          .whenComplete(
              (info, error) ->
                  log.add(name + (error == null ? " ok" : " " + error.getClass().getSimpleName())));
    };
  }

  @Test
  void interceptorsRunInOrderAndTheirHeadersAreStored() {
    List<String> log = new CopyOnWriteArrayList<>();
    try (Client client =
        Client.builder()
            .uri(redisServer.uri())
            .interceptor(tagging("a", log))
            .interceptor(tagging("b", log))
            .build()) {
      TaskInfo info = client.enqueue(Task.of("t", TaskOption.queue("q1")), TaskOption.queue("q2"));
      assertThat(info.headers()).containsOnlyKeys("a", "b");
      assertThat(info.queue()).isEqualTo("q2");
    }
    assertThat(log).containsExactly("a saw [] q=q2 n=1", "b saw [a] q=q2 n=1", "b ok", "a ok");
    // Go Asynq and the server read the headers from the stored message.
    try (Inspector inspector = Inspector.connect(redisServer.uri())) {
      TaskInfo stored = inspector.listTasks("q2", TaskState.PENDING, Page.first()).get(0);
      assertThat(stored.headers()).containsEntry("a", "1").containsEntry("b", "1");
    }
  }

  @Test
  void outcomesReachTheInterceptorAndInvalidTasksThrowThroughIt() {
    List<String> log = new CopyOnWriteArrayList<>();
    try (Client client =
        Client.builder().uri(redisServer.uri()).interceptor(tagging("a", log)).build()) {
      client.enqueue(Task.of("t"), TaskOption.taskId("same"));
      assertThatThrownBy(() -> client.enqueue(Task.of("t"), TaskOption.taskId("same")))
          .isInstanceOf(TaskIdConflictException.class);
      assertThatThrownBy(
              () -> client.enqueue(Task.of("t"), TaskOption.deadline(java.time.Instant.EPOCH)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(log)
        .containsExactly(
            "a saw [] q=default n=1",
            "a ok",
            "a saw [] q=default n=1",
            "a TaskIdConflictException",
            "a saw [] q=default n=1");
  }

  @Test
  void aBatchGoesThroughTheInterceptorsTaskByTaskAndStillInOneCall() {
    List<String> log = new CopyOnWriteArrayList<>();
    EnqueueInterceptor dropsSecret =
        call ->
            call.task().type().equals("secret")
                ? CompletableFuture.failedFuture(new IllegalStateException("refused by policy"))
                : call.proceed(call.task());
    try (Client client =
        Client.builder()
            .uri(redisServer.uri())
            .interceptor(tagging("a", log))
            .interceptor(dropsSecret)
            .build()) {
      List<BatchResult> results =
          client.enqueueBatch(
              List.of(
                  Task.of("one"),
                  Task.of("secret"),
                  Task.of("bad", TaskOption.deadline(java.time.Instant.EPOCH)),
                  Task.of("two")));
      assertThat(results)
          .extracting(BatchResult::isSuccess)
          .containsExactly(true, false, false, true);
      assertThat(results.get(1).error()).hasMessage("refused by policy");
      assertThat(results.get(2).error()).isInstanceOf(IllegalArgumentException.class);
      assertThat(results.get(0).info().headers()).containsKey("a");
      assertThat(results.get(0).task()).isEqualTo(Task.of("one"));
    }
    assertThat(log).filteredOn(l -> l.contains("saw")).hasSize(4).allMatch(l -> l.endsWith("n=4"));
    assertThat(redis.lrange("asynq:{default}:pending")).hasSize(2);
  }

  @Test
  void aDeferredProceedInABatchIsStillEnqueued() throws Exception {
    CompletableFuture<Void> later = new CompletableFuture<>();
    EnqueueInterceptor deferring = call -> later.thenCompose(v -> call.proceed(call.task()));
    try (Client client = Client.builder().uri(redisServer.uri()).interceptor(deferring).build()) {
      CompletableFuture<List<BatchResult>> batch =
          client.enqueueBatchAsync(List.of(Task.of("x"), Task.of("y")));
      assertThat(batch).isNotDone();
      later.complete(null);
      assertThat(batch.get()).allMatch(BatchResult::isSuccess);
    }
    assertThat(redis.lrange("asynq:{default}:pending")).hasSize(2);
  }

  @Test
  void proceedingTwiceOrReturningNullIsAnErrorOfTheInterceptor() {
    EnqueueInterceptor twice =
        call -> {
          call.proceed(call.task());
          return call.proceed(call.task());
        };
    EnqueueInterceptor returnsNull = call -> null;
    try (Client a = Client.builder().uri(redisServer.uri()).interceptor(twice).build();
        Client b = Client.builder().uri(redisServer.uri()).interceptor(returnsNull).build()) {
      assertThatThrownBy(() -> a.enqueue(Task.of("t")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("proceed() called twice");
      assertThatThrownBy(() -> b.enqueueAsync(Task.of("t")).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(NullPointerException.class)
          .hasMessageContaining("returned null");
    }
  }

  @Test
  void clientInterceptorsAndServerMiddlewareMeetAroundTheHandler() {
    List<String> order = new CopyOnWriteArrayList<>();
    Middleware m =
        next ->
            ctx -> {
              order.add("m " + ctx.task().headers().keySet());
              next.handle(ctx);
            };
    Middleware n =
        next ->
            ctx -> {
              order.add("n");
              next.handle(ctx);
            };
    ServeMux mux = new ServeMux();
    mux.use(
        next ->
            ctx -> {
              order.add("mux");
              next.handle(ctx);
            });
    mux.handle("t", ctx -> order.add("handler"));
    try (Client client =
            Client.builder()
                .uri(redisServer.uri())
                .interceptor(tagging("a", new CopyOnWriteArrayList<>()))
                .build();
        Server server =
            Server.connect(redisServer.uri(), ServerConfigs.fast().middleware(m, n).build())) {
      server.start(mux);
      client.enqueue(Task.of("t"));
      Eventually.until("handled", () -> order.contains("handler"));
    }
    assertThat(order).containsExactly("m [a]", "n", "mux", "handler");
  }
}

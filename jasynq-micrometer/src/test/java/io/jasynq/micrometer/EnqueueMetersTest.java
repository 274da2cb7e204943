package io.jasynq.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.DuplicateTaskException;
import io.jasynq.EnqueueInterceptor;
import io.jasynq.JasynqException;
import io.jasynq.NotReplicatedException;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The interceptor against hand-made calls, for the outcomes real Redis does not give on demand
 * (Redis failing, replicas not confirming).
 */
class EnqueueMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EnqueueInterceptor interceptor =
      JasynqMetrics.builder(registry).build().enqueueInterceptor();

  @Test
  void aRedisFailureIsAnErrorAndARedisError() {
    JasynqException boom = new JasynqException("enqueue failed: connection reset");
    CompletableFuture<TaskInfo> result =
        interceptor.intercept(call(Task.of("email"), t -> CompletableFuture.failedFuture(boom)));

    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::join).hasCause(boom);
    assertThat(enqueueCount("error", "JasynqException")).isEqualTo(1);
    assertThat(
            registry
                .get(MetricNames.REDIS_ERRORS)
                .tags("component", "client", "operation", "enqueue")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void notReplicatedIsAnErrorButNoRedisError() {
    NotReplicatedException e =
        new NotReplicatedException("default", "id", 0, 1, Duration.ofSeconds(1), "msg");
    interceptor.intercept(call(Task.of("email"), t -> CompletableFuture.failedFuture(e)));
    assertThat(enqueueCount("error", "NotReplicatedException")).isEqualTo(1);
    assertThat(registry.find(MetricNames.REDIS_ERRORS).counter()).isNull();
  }

  @Test
  void aWrappedDuplicateIsADuplicate() {
    CompletionException wrapped =
        new CompletionException(new DuplicateTaskException("default", "key"));
    interceptor.intercept(call(Task.of("email"), t -> CompletableFuture.failedFuture(wrapped)));
    assertThat(enqueueCount("duplicate", "DuplicateTaskException")).isEqualTo(1);
  }

  @Test
  void theQueueTagIsTheCallsQueue() {
    interceptor.intercept(
        call(
            Task.of("email", TaskOption.queue("mail")),
            t -> CompletableFuture.completedFuture(null)));
    assertThat(
            registry
                .get(MetricNames.CLIENT_ENQUEUE)
                .tags("queue", "mail", "task.type", "email", "outcome", "enqueued")
                .timer()
                .count())
        .isEqualTo(1);
  }

  private double enqueueCount(String outcome, String exception) {
    return registry
        .get(MetricNames.CLIENT_ENQUEUE)
        .tags("outcome", outcome, "exception", exception)
        .timer()
        .count();
  }

  private static EnqueueInterceptor.Call call(
      Task task, Function<Task, CompletableFuture<TaskInfo>> proceed) {
    return new EnqueueInterceptor.Call() {
      @Override
      public Task task() {
        return task;
      }

      @Override
      public List<TaskOption> options() {
        return List.of();
      }

      @Override
      public String queue() {
        return task.options().stream()
            .filter(o -> o instanceof TaskOption.Queue)
            .map(o -> ((TaskOption.Queue) o).name())
            .reduce((a, b) -> b)
            .orElse(TaskOption.DEFAULT_QUEUE);
      }

      @Override
      public int batchSize() {
        return 1;
      }

      @Override
      public CompletableFuture<TaskInfo> proceed(Task next) {
        return proceed.apply(next);
      }
    };
  }
}

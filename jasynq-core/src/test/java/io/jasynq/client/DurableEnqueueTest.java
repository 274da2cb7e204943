package io.jasynq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.DuplicateTaskException;
import io.jasynq.NotReplicatedException;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Durable enqueue ({@code waitForReplicas}): an enqueue succeeds only once WAIT counted enough
 * replicas; otherwise it fails with {@link NotReplicatedException}, and the task may exist.
 */
@RedisTest
class DurableEnqueueTest {
  @Test
  void withoutAReplicaTheEnqueueFailsButTheTaskMayExist(RedisServer server, TestRedis redis) {
    try (Client client =
        Client.builder().uri(server.uri()).waitForReplicas(1, Duration.ofMillis(50)).build()) {
      assertThatThrownBy(() -> client.enqueue(Task.of("t", "x"), TaskOption.taskId("a")))
          .isInstanceOfSatisfying(
              NotReplicatedException.class,
              e -> {
                assertThat(e.taskId()).isEqualTo("a");
                assertThat(e.queue()).isEqualTo("default");
                assertThat(e.acknowledged()).isZero();
                assertThat(e.required()).isEqualTo(1);
                assertThat(e).hasMessageContaining("may still exist");
              });
      assertThat(redis.lrange("asynq:{default}:pending")).containsExactly("a");

      List<BatchResult> batch =
          client.enqueueBatch(
              List.of(Task.of("t", "same"), Task.of("t", "same")),
              TaskOption.unique(Duration.ofMinutes(1)));
      assertThat(batch.get(0).error()).isInstanceOf(NotReplicatedException.class);
      // The second is a duplicate of the first: nothing written, reported as such.
      assertThat(batch.get(1).error()).isInstanceOf(DuplicateTaskException.class);
    }
  }

  @Test
  void withAReplicaTheEnqueueSucceedsOnceTheReplicaHasTheTask(RedisServer server) {
    try (RedisServer replica =
            RedisServer.builder().config("replicaof", server.host() + " " + server.port()).start();
        TestRedis onReplica = TestRedis.connect(replica.uri());
        Client client =
            Client.builder().uri(server.uri()).waitForReplicas(1, Duration.ofSeconds(5)).build()) {
      Eventually.until(
          Duration.ofSeconds(30),
          "the replica is in sync",
          () -> onReplica.commands().info("replication").contains("master_link_status:up"));

      client.enqueue(Task.of("t", "x"), TaskOption.taskId("a"));
      List<BatchResult> batch = client.enqueueBatch(List.of(Task.of("t", "1"), Task.of("t", "2")));

      assertThat(batch).allMatch(BatchResult::isSuccess);
      assertThat(onReplica.commands().exists("asynq:{default}:t:a")).isEqualTo(1);
      assertThat(onReplica.commands().llen("asynq:{default}:pending")).isEqualTo(3);
    }
  }

  @Test
  void rejectsBadSettings(RedisServer server) {
    assertThatThrownBy(() -> Client.builder().waitForReplicas(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replicas must be >= 1, was 0");
    assertThatThrownBy(() -> Client.builder().waitForReplicas(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be at least 1ms");
    assertThatThrownBy(
            () ->
                Client.builder()
                    .uri(server.uri())
                    .waitForReplicas(1, Duration.ofSeconds(10))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than the command timeout");
  }
}

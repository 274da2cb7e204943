package io.jasynq.examples.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class ProducerTest {

  @Test
  void enqueuesTheWelcomeTasksAndOneReminder(RedisServer redis, TestRedis inspect) {
    List<TaskInfo> enqueued = Producer.run(redis.uri(), 3);

    assertThat(enqueued).hasSize(4);
    List<String> pending = inspect.lrange("asynq:{default}:pending");
    assertThat(pending)
        .containsExactlyInAnyOrderElementsOf(
            enqueued.subList(0, 3).stream().map(TaskInfo::id).toList());
    for (String id : pending) {
      assertThat(inspect.hget("asynq:{default}:t:" + id, "state")).isEqualTo("pending");
    }
    TaskInfo reminder = enqueued.get(3);
    assertThat(reminder.state()).isEqualTo(TaskState.SCHEDULED);
    assertThat(inspect.zrangeWithScores("asynq:{low}:scheduled")).containsOnlyKeys(reminder.id());
    assertThat(inspect.smembers("asynq:queues")).containsExactlyInAnyOrder("default", "low");
  }
}

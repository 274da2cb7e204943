package io.jasynq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisSentinelTest;
import org.junit.jupiter.api.Test;

/** The Inspector reads and writes through Sentinel like on a standalone Redis. */
@RedisSentinelTest
class InspectorSentinelTest {
  @Test
  void inspectsAndDeletesAQueueThroughSentinel(RedisSentinel sentinel) {
    try (Client client = Client.connect(sentinel.uri());
        Inspector inspector = Inspector.connect(sentinel.uri())) {
      TaskInfo info = client.enqueue(Task.of("t"), TaskOption.queue("q"));
      assertThat(inspector.queues()).containsExactly("q");
      assertThat(inspector.queueInfo("q").pending()).isEqualTo(1);
      assertThat(inspector.listTasks("q", TaskState.PENDING, Page.first()))
          .extracting(TaskInfo::id)
          .containsExactly(info.id());
      inspector.pauseQueue("q");
      assertThat(inspector.queueInfo("q").paused()).isTrue();
      inspector.deleteQueue("q", true);
      assertThat(inspector.queues()).isEmpty();
    }
  }
}

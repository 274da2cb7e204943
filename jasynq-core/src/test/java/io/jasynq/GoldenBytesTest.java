package io.jasynq;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.timeout;
import static io.jasynq.TaskOption.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.internal.broker.proto.SchedulerEnqueueEvent;
import io.jasynq.internal.broker.proto.SchedulerEntry;
import io.jasynq.internal.broker.proto.ServerInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.internal.broker.proto.WorkerInfo;
import io.jasynq.support.Golden;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire format against what Go Asynq v0.24.1 wrote (wire-format §2, §10 "byte-level"): the
 * messages jasynq encodes for the same task are identical byte for byte, and every Go message
 * decodes and survives a round trip.
 */
class GoldenBytesTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:40:45Z");

  private static byte[] encoded(Task task, TaskOption... options) {
    return EnqueuePlan.of(task, options, NOW, Client.DEFAULT_MAX_PAYLOAD_SIZE).request.message();
  }

  @Test
  void uniquePendingTaskIsEncodedExactlyAsGoEncodesIt() {
    byte[] ours =
        encoded(
            Task.of("dump:pending", "{\"state\":\"pending\"}"),
            queue("dump"),
            taskId("bf415da7-1351-4f0f-a141-b79437922470"),
            unique(Duration.ofHours(1)));
    assertThat(ours).isEqualTo(Golden.bytes("task.pending_unique"));
  }

  @Test
  void scheduledTaskWithCustomIdIsEncodedExactlyAsGoEncodesIt() {
    byte[] ours =
        encoded(
            Task.of("dump:scheduled", "{\"state\":\"scheduled\"}"),
            queue("dump"),
            processIn(Duration.ofHours(1)),
            taskId("fixed-id-scheduled"));
    assertThat(ours).isEqualTo(Golden.bytes("task.scheduled_custom_id"));
  }

  @Test
  void groupedTaskIsEncodedExactlyAsGoEncodesIt() {
    byte[] ours =
        encoded(
            Task.of("dump:aggregating", "{\"state\":\"aggregating\"}"),
            queue("dump"),
            group("grp1"),
            taskId("0f111c92-1eb5-47e3-a453-ac2d01c9df23"));
    assertThat(ours).isEqualTo(Golden.bytes("task.aggregating_grp1"));
  }

  @Test
  void timeoutIsEncodedExactlyAsGoEncodesIt() {
    byte[] ours =
        encoded(
            Task.of("dump:active", "{\"state\":\"active\"}"),
            queue("dump"),
            timeout(Duration.ofMinutes(10)),
            taskId("3449ea8a-3597-4245-a830-507a43b81bcf"));
    assertThat(ours).isEqualTo(Golden.bytes("task.active_timeout10m"));
  }

  @Test
  void maxRetryIsEncodedAsGoEncodesIt() throws Exception {
    TaskMessage go = TaskMessage.parseFrom(Golden.bytes("task.retry"));
    TaskMessage ours =
        TaskMessage.parseFrom(
            encoded(
                Task.of("dump:retry", "{\"state\":\"retry\"}"),
                queue("dump"),
                maxRetry(3),
                taskId(go.getId())));
    // Go's copy has been through a failed attempt; everything the client writes is identical.
    assertThat(ours)
        .isEqualTo(go.toBuilder().clearRetried().clearErrorMsg().clearLastFailedAt().build());
  }

  @Test
  void decodesEveryGoTaskMessage() throws Exception {
    TaskMessage retry = TaskMessage.parseFrom(Golden.bytes("task.retry"));
    assertThat(retry.getType()).isEqualTo("dump:retry");
    assertThat(retry.getRetry()).isEqualTo(3);
    assertThat(retry.getRetried()).isEqualTo(1);
    assertThat(retry.getErrorMsg())
        .isEqualTo("asynqpeer: forced failure for type dump:retry (retry 0)");
    assertThat(retry.getLastFailedAt()).isEqualTo(1795340441L);

    TaskMessage completed = TaskMessage.parseFrom(Golden.bytes("task.completed_retention1h"));
    assertThat(completed.getRetention()).isEqualTo(3600);
    assertThat(completed.getCompletedAt()).isEqualTo(1795340441L);

    TaskMessage archived = TaskMessage.parseFrom(Golden.bytes("task.archived"));
    assertThat(archived.getRetry()).isZero();
    assertThat(archived.getTimeout()).isEqualTo(1800);

    TaskMessage pending = TaskMessage.parseFrom(Golden.bytes("task.pending_unique"));
    assertThat(pending.getUniqueKey())
        .isEqualTo("asynq:{dump}:unique:dump:pending:0c821edc24a104d0197c2f87d2fd9383");
  }

  @Test
  void everyGoMessageSurvivesARoundTrip() throws Exception {
    for (String name :
        new String[] {
          "task.pending_unique", "task.active_timeout10m", "task.scheduled_custom_id", "task.retry",
          "task.archived", "task.completed_retention1h", "task.aggregating_grp1", "task.cron"
        }) {
      byte[] go = Golden.bytes(name);
      assertThat(TaskMessage.parseFrom(go).toByteArray()).as(name).isEqualTo(go);
    }
    assertThat(ServerInfo.parseFrom(Golden.bytes("server_info")).toByteArray())
        .isEqualTo(Golden.bytes("server_info"));
    assertThat(WorkerInfo.parseFrom(Golden.bytes("worker_info")).toByteArray())
        .isEqualTo(Golden.bytes("worker_info"));
    assertThat(SchedulerEntry.parseFrom(Golden.bytes("scheduler_entry")).toByteArray())
        .isEqualTo(Golden.bytes("scheduler_entry"));
    assertThat(
            SchedulerEnqueueEvent.parseFrom(Golden.bytes("scheduler_enqueue_event")).toByteArray())
        .isEqualTo(Golden.bytes("scheduler_enqueue_event"));
  }

  @Test
  void decodesGoServerWorkerAndSchedulerMessages() throws Exception {
    ServerInfo server = ServerInfo.parseFrom(Golden.bytes("server_info"));
    assertThat(server.getHost()).isEqualTo("vm");
    assertThat(server.getPid()).isEqualTo(4336);
    assertThat(server.getQueuesMap()).containsEntry("dump", 1);
    assertThat(server.getStatus()).isEqualTo("active");
    assertThat(server.getActiveWorkerCount()).isEqualTo(1);

    WorkerInfo worker = WorkerInfo.parseFrom(Golden.bytes("worker_info"));
    assertThat(worker.getTaskType()).isEqualTo("dump:active");
    assertThat(worker.getDeadline().getSeconds()).isEqualTo(1795341044L);

    SchedulerEntry entry = SchedulerEntry.parseFrom(Golden.bytes("scheduler_entry"));
    assertThat(entry.getSpec()).isEqualTo("@every 1s");
    assertThat(entry.getEnqueueOptionsList()).containsExactly("Queue(\"cronq\")");

    SchedulerEnqueueEvent event =
        SchedulerEnqueueEvent.parseFrom(Golden.bytes("scheduler_enqueue_event"));
    assertThat(event.getEnqueueTime().getNanos()).isEqualTo(961547);
  }

  @Test
  void unknownFieldsAndHeadersSurviveARewrite() throws Exception {
    TaskMessage withHeaders =
        TaskMessage.parseFrom(
            encoded(
                Task.builder("t").payload("p").header("trace", "abc").build(),
                TaskOption.header("tenant", "acme")));
    assertThat(withHeaders.getHeadersMap())
        .containsEntry("trace", "abc")
        .containsEntry("tenant", "acme");

    // A field from a future Asynq (number 99, varint 7) is kept when we rewrite the message.
    byte[] future = concat(Golden.bytes("task.retry"), new byte[] {(byte) 0x98, 0x06, 0x07});
    TaskMessage decoded = TaskMessage.parseFrom(future);
    byte[] rewritten = decoded.toBuilder().setRetried(2).build().toByteArray();
    assertThat(TaskMessage.parseFrom(rewritten).getUnknownFields().hasField(99)).isTrue();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

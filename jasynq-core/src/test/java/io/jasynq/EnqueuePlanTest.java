package io.jasynq;

import static io.jasynq.TaskOption.deadline;
import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.header;
import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processAt;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.timeout;
import static io.jasynq.TaskOption.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.internal.broker.EnqueueRequest.Target;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Option merging, defaults, validation and routing of one enqueue (wire-format §5), before any I/O.
 */
class EnqueuePlanTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00.250Z");

  private static EnqueuePlan plan(Task task, TaskOption... options) {
    return EnqueuePlan.of(task, options, NOW, 1024);
  }

  private static TaskMessage message(EnqueuePlan plan) throws Exception {
    return TaskMessage.parseFrom(plan.request.message());
  }

  @Test
  void defaultsAreAsynqs() throws Exception {
    EnqueuePlan plan = plan(Task.of("email:send"));
    TaskMessage m = message(plan);
    assertThat(m.getQueue()).isEqualTo("default");
    assertThat(m.getRetry()).isEqualTo(25);
    assertThat(m.getTimeout()).isEqualTo(1800);
    assertThat(m.getDeadline()).isZero();
    assertThat(m.getId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(m.hasField(TaskMessage.getDescriptor().findFieldByName("payload"))).isFalse();
    assertThat(plan.request.target()).isEqualTo(Target.PENDING);
    assertThat(plan.request.nowUnixNanos()).isEqualTo(1735689600_250_000_000L);
    assertThat(plan.info.state()).isEqualTo(TaskState.PENDING);
    assertThat(plan.info.nextProcessAt()).contains(NOW);
  }

  @Test
  void callOptionsOverrideTaskDefaultsAndTheLastOfAKindWins() throws Exception {
    Task task =
        Task.builder("t")
            .header("a", "1")
            .options(queue("from-task"), maxRetry(3), header("b", "task"))
            .build();
    TaskMessage m = message(plan(task, queue("first"), queue("last"), header("b", "call")));
    assertThat(m.getQueue()).isEqualTo("last");
    assertThat(m.getRetry()).isEqualTo(3);
    assertThat(m.getHeadersMap()).containsEntry("a", "1").containsEntry("b", "call");
  }

  @Test
  void deadlineAloneLeavesTimeoutZeroAndBothAreKept() throws Exception {
    Instant deadline = Instant.parse("2025-01-02T00:00:00Z");
    assertThat(message(plan(Task.of("t"), deadline(deadline))).getTimeout()).isZero();
    TaskMessage both =
        message(plan(Task.of("t"), deadline(deadline), timeout(Duration.ofSeconds(90))));
    assertThat(both.getDeadline()).isEqualTo(deadline.getEpochSecond());
    assertThat(both.getTimeout()).isEqualTo(90);
  }

  @Test
  void fractionalSecondsAreRoundedUp() throws Exception {
    TaskMessage m =
        message(
            plan(
                Task.of("t"),
                timeout(Duration.ofMillis(1500)),
                retention(Duration.ofMillis(2001))));
    assertThat(m.getTimeout()).isEqualTo(2);
    assertThat(m.getRetention()).isEqualTo(3);
  }

  @Test
  void futureProcessTimeSchedulesAndPastOrPresentMeansNow() {
    EnqueuePlan later = plan(Task.of("t"), processIn(Duration.ofMinutes(5)));
    assertThat(later.request.target()).isEqualTo(Target.SCHEDULED);
    assertThat(later.request.processAtUnix()).isEqualTo(NOW.plusSeconds(300).getEpochSecond());
    assertThat(later.info.nextProcessAt()).contains(NOW.plusSeconds(300));
    assertThat(plan(Task.of("t"), processAt(NOW.minusSeconds(1))).request.target())
        .isEqualTo(Target.PENDING);
    assertThat(plan(Task.of("t"), processIn(Duration.ZERO)).request.target())
        .isEqualTo(Target.PENDING);
  }

  @Test
  void groupedTaskGoesToItsGroupUnlessScheduled() throws Exception {
    EnqueuePlan now = plan(Task.of("t"), group("g"));
    assertThat(now.request.target()).isEqualTo(Target.GROUP);
    assertThat(now.info.state()).isEqualTo(TaskState.AGGREGATING);
    assertThat(now.info.nextProcessAt()).isEmpty();
    EnqueuePlan later = plan(Task.of("t"), group("g"), processIn(Duration.ofMinutes(1)));
    assertThat(later.request.target()).isEqualTo(Target.SCHEDULED);
    assertThat(later.request.group()).isEqualTo("g");
    assertThat(message(later).getGroupKey()).isEqualTo("g");
  }

  @Test
  void uniqueKeyDependsOnQueueTypeAndPayloadOnly() throws Exception {
    EnqueuePlan a =
        plan(Task.of("t", "p"), unique(Duration.ofMinutes(1)), taskId("x"), header("h", "1"));
    EnqueuePlan b = plan(Task.of("t", "p"), unique(Duration.ofMinutes(1)));
    assertThat(a.request.uniqueKey())
        .isEqualTo(b.request.uniqueKey())
        .isEqualTo("asynq:{default}:unique:t:83878c91171338902e0fe0fb97a8c47a");
    assertThat(message(a).getUniqueKey()).isEqualTo(a.request.uniqueKey());
    assertThat(a.request.uniqueTtlSeconds()).isEqualTo(60);
  }

  @Test
  void scheduledUniqueLockCoversTheWaitAndTheTtl() {
    EnqueuePlan plan =
        plan(Task.of("t"), unique(Duration.ofMinutes(1)), processIn(Duration.ofMinutes(10)));
    assertThat(plan.request.uniqueTtlSeconds()).isEqualTo(660);
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        bad("blank type", () -> Task.of("  "), "task type must contain one or more characters"),
        bad("null type", () -> Task.of(null), "task type == null"),
        bad("blank queue", () -> queue(""), "queue must contain one or more characters"),
        bad("padded queue", () -> queue(" q"), "queue must not start or end with whitespace"),
        bad("hash tag in queue", () -> queue("a{b}"), "queue must not contain '{' or '}'"),
        bad("control char", () -> queue("a\nb"), "queue must not contain control characters"),
        bad("lone surrogate", () -> Task.of("t\uD800"), "unpaired surrogate at index 1"),
        bad("negative retry", () -> maxRetry(-1), "maxRetry must be >= 0, was -1"),
        bad("blank task id", () -> taskId(" "), "taskId must contain one or more characters"),
        bad(
            "sub-second timeout",
            () -> timeout(Duration.ofMillis(500)),
            "timeout must be at least 1s"),
        bad("zero timeout", () -> timeout(Duration.ZERO), "timeout must be at least 1s"),
        bad(
            "record constructor",
            () -> new TaskOption.Timeout(Duration.ofMillis(1)),
            "timeout must be at least 1s"),
        bad("short unique", () -> unique(Duration.ofMillis(999)), "unique TTL must be at least 1s"),
        bad(
            "negative delay",
            () -> processIn(Duration.ofSeconds(-1)),
            "processIn must not be negative"),
        bad(
            "negative retention",
            () -> retention(Duration.ofSeconds(-5)),
            "retention must not be negative"),
        bad(
            "sub-second retention",
            () -> retention(Duration.ofMillis(10)),
            "retention must be at least 1s"),
        bad("blank group", () -> group(""), "group must contain one or more characters"),
        bad(
            "blank header",
            () -> header("", "v"),
            "header name must contain one or more characters"),
        bad(
            "past deadline",
            () -> plan(Task.of("t"), deadline(NOW.minusSeconds(10))),
            "deadline must be in the future"),
        bad(
            "deadline this second",
            () -> plan(Task.of("t"), deadline(NOW.plusMillis(100))),
            "deadline must be in the future"),
        bad(
            "payload over limit",
            () -> plan(Task.of("t", new byte[1025])),
            "payload is 1025 bytes, over the client's limit of 1024"));
  }

  private static Arguments bad(String name, Supplier<Object> call, String message) {
    return Arguments.of(name, call, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsBadInputNamingFieldValueAndRule(String name, Supplier<Object> call, String message) {
    assertThatThrownBy(call::get)
        .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
        .hasMessageContaining(message);
  }
}

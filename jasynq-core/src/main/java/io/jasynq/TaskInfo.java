package io.jasynq;

import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What Redis holds about a task, as Asynq's {@code TaskInfo} shows it. A zero in the stored message
 * reads as "none": an empty {@link Optional} for instants and text, {@link Duration#ZERO} for
 * durations. Immutable and thread-safe; byte arrays are copied out.
 *
 * <p><b>Bad records.</b> A listing gives every listed ID a row, even when what Redis holds for it
 * is not a readable task: the ID has no task hash, its key is not a hash, the hash has no {@code
 * msg} or one that does not decode, or the message names another ID or queue than its key. Such a
 * row has {@link #problems()} saying what is wrong; its {@link #id()} and {@link #queue()} are
 * those of the key (an ID that is not UTF-8 shows each bad byte as {@code \xNN}), its state is the
 * one it was listed in, and fields its message could not give read as "none". A key of a listing
 * that is itself of the wrong type (for example {@code asynq:{Q}:pending} holding a string) gives
 * one bad row with an empty ID at the top of the first page.
 *
 * @since 0.1
 */
public final class TaskInfo {
  private final TaskMessage message;
  private final TaskState state;
  private final @Nullable Instant nextProcessAt; // null = none
  private final boolean orphaned;
  private final byte @Nullable [] result; // null = none
  private final List<String> problems;

  TaskInfo(
      TaskMessage message,
      TaskState state,
      @Nullable Instant nextProcessAt,
      boolean orphaned,
      byte @Nullable [] result,
      List<String> problems) {
    this.message = message;
    this.state = state;
    this.nextProcessAt = nextProcessAt;
    this.orphaned = orphaned;
    this.result = result == null ? null : result.clone();
    this.problems = List.copyOf(problems);
  }

  /** The task ID. */
  public String id() {
    return message.getId();
  }

  /** The queue. */
  public String queue() {
    return message.getQueue();
  }

  /** The type name. */
  public String type() {
    return message.getType();
  }

  /** A copy of the payload (empty if the task has none). */
  public byte[] payload() {
    return message.getPayload().toByteArray();
  }

  /** The headers; unmodifiable. */
  public Map<String, String> headers() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(message.getHeadersMap()));
  }

  /** The state. */
  public TaskState state() {
    return state;
  }

  /** How many times the task may be retried. */
  public int maxRetry() {
    return message.getRetry();
  }

  /** How many times it has been retried so far. */
  public int retried() {
    return message.getRetried();
  }

  /** The last error message, if the task has failed. */
  public Optional<String> lastError() {
    return message.getErrorMsg().isEmpty() ? Optional.empty() : Optional.of(message.getErrorMsg());
  }

  /** When the task last failed. */
  public Optional<Instant> lastFailedAt() {
    return seconds(message.getLastFailedAt());
  }

  /** The per-attempt timeout; {@link Duration#ZERO} if none was stored. */
  public Duration timeout() {
    return Duration.ofSeconds(message.getTimeout());
  }

  /** The deadline, if any. */
  public Optional<Instant> deadline() {
    return seconds(message.getDeadline());
  }

  /** The group, if any. */
  public Optional<String> group() {
    return message.getGroupKey().isEmpty() ? Optional.empty() : Optional.of(message.getGroupKey());
  }

  /** When the task is next due: now for pending, the score for scheduled and retry, else none. */
  public Optional<Instant> nextProcessAt() {
    return Optional.ofNullable(nextProcessAt);
  }

  /** Whether an active task's lease has expired (its worker seems gone). */
  public boolean orphaned() {
    return orphaned;
  }

  /** How long the task is kept after it succeeds; {@link Duration#ZERO} if not kept. */
  public Duration retention() {
    return Duration.ofSeconds(message.getRetention());
  }

  /** When the task succeeded, for completed tasks. */
  public Optional<Instant> completedAt() {
    return seconds(message.getCompletedAt());
  }

  /** A copy of the result its handler wrote, if any. */
  public Optional<byte[]> result() {
    return result == null ? Optional.empty() : Optional.of(result.clone());
  }

  /**
   * What is wrong with this record, one line each, for example {@code "asynq:{default}:t:42 is a
   * string, not a hash"}; empty for a well-formed task. Unmodifiable.
   *
   * @since 0.2
   */
  public List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    return "TaskInfo[id="
        + id()
        + ", queue="
        + queue()
        + ", type="
        + type()
        + ", state="
        + state.wireName()
        + nextProcessAt().map(t -> ", nextProcessAt=" + t).orElse("")
        + group().map(g -> ", group=" + g).orElse("")
        + (problems.isEmpty() ? "" : ", problems=" + problems)
        + "]";
  }

  private static Optional<Instant> seconds(long unix) {
    return unix == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(unix));
  }
}

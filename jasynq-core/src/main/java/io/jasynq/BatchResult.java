package io.jasynq;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one task of a {@linkplain Client#enqueueBatch batch enqueue}: either its {@link
 * TaskInfo} or the error that kept it out (a {@link DuplicateTaskException}, a {@link
 * TaskIdConflictException}, an {@link IllegalArgumentException} for bad input, or a {@link
 * JasynqException} from Redis). A failed task wrote nothing. Immutable.
 *
 * @since 0.1
 */
public final class BatchResult {
  private final Task task;
  private final @Nullable TaskInfo info;
  private final @Nullable RuntimeException error;

  private BatchResult(Task task, @Nullable TaskInfo info, @Nullable RuntimeException error) {
    this.task = task;
    this.info = info;
    this.error = error;
  }

  static BatchResult success(Task task, TaskInfo info) {
    return new BatchResult(task, Objects.requireNonNull(info), null);
  }

  static BatchResult failure(Task task, RuntimeException error) {
    return new BatchResult(task, null, Objects.requireNonNull(error));
  }

  /** The task as it was passed in. */
  public Task task() {
    return task;
  }

  /** Whether the task was enqueued. */
  public boolean isSuccess() {
    return info != null;
  }

  /**
   * The enqueued task's info.
   *
   * @throws IllegalStateException if it failed (see {@link #error()})
   */
  public TaskInfo info() {
    if (info == null) {
      RuntimeException error = Objects.requireNonNull(this.error);
      throw new IllegalStateException("task was not enqueued: " + error.getMessage(), error);
    }
    return info;
  }

  /**
   * Why the task was not enqueued.
   *
   * @throws IllegalStateException if it succeeded
   */
  public RuntimeException error() {
    if (error == null) {
      throw new IllegalStateException("task was enqueued: " + info);
    }
    return error;
  }

  @Override
  public String toString() {
    return isSuccess()
        ? "BatchResult[" + info + "]"
        : "BatchResult[failed: " + Objects.requireNonNull(error).getMessage() + "]";
  }
}

package io.jasynq;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One task's way through a client's {@link EnqueueInterceptor}s: each link is the {@link
 * EnqueueInterceptor.Call} one interceptor sees, and the last one proceeds to {@code terminal}.
 */
final class Intercepted implements EnqueueInterceptor.Call {
  private final List<EnqueueInterceptor> chain;
  private final int index; // the interceptor this call's proceed() goes to next
  private final Task task;
  private final List<TaskOption> options;
  private final int batchSize;
  private final Function<Task, CompletableFuture<TaskInfo>> terminal;
  private final AtomicBoolean proceeded = new AtomicBoolean();

  private Intercepted(
      List<EnqueueInterceptor> chain,
      int index,
      Task task,
      List<TaskOption> options,
      int batchSize,
      Function<Task, CompletableFuture<TaskInfo>> terminal) {
    this.chain = chain;
    this.index = index;
    this.task = task;
    this.options = options;
    this.batchSize = batchSize;
    this.terminal = terminal;
  }

  /** Runs {@code task} through every interceptor of {@code chain}, then {@code terminal}. */
  static CompletableFuture<TaskInfo> run(
      List<EnqueueInterceptor> chain,
      Task task,
      List<TaskOption> options,
      int batchSize,
      Function<Task, CompletableFuture<TaskInfo>> terminal) {
    if (chain.isEmpty()) {
      return terminal.apply(task);
    }
    return new Intercepted(chain, 0, task, options, batchSize, terminal).proceed(task);
  }

  @Override
  public Task task() {
    return task;
  }

  @Override
  public List<TaskOption> options() {
    return options;
  }

  @Override
  public String queue() {
    String queue = TaskOption.DEFAULT_QUEUE;
    for (TaskOption o : task.options()) {
      if (o instanceof TaskOption.Queue q) {
        queue = q.name();
      }
    }
    for (TaskOption o : options) {
      if (o instanceof TaskOption.Queue q) {
        queue = q.name();
      }
    }
    return queue;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public CompletableFuture<TaskInfo> proceed(Task next) {
    java.util.Objects.requireNonNull(next, "task == null");
    if (!proceeded.compareAndSet(false, true)) {
      throw new IllegalStateException("proceed() called twice for task " + next.type());
    }
    if (index == chain.size()) {
      return terminal.apply(next);
    }
    EnqueueInterceptor interceptor = chain.get(index);
    CompletableFuture<TaskInfo> result =
        interceptor.intercept(
            new Intercepted(chain, index + 1, next, options, batchSize, terminal));
    if (result == null) {
      return CompletableFuture.failedFuture(
          new NullPointerException(
              "interceptor " + interceptor.getClass().getName() + " returned null"));
    }
    return result;
  }

  @Override
  public String toString() {
    return "EnqueueInterceptor.Call[" + task + ", queue=" + queue() + "]";
  }
}

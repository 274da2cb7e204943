package io.jasynq.internal.runtime;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes jasynq's own threads: daemon (a forgotten server or scheduler never keeps a JVM alive),
 * named {@code jasynq-<role>[-n]} so leaks are visible, with uncaught exceptions logged rather than
 * lost.
 */
public final class ThreadFactoryBuilder {
  private final String ownerTag;

  /**
   * Threads of one server or scheduler; {@code ownerTag} keeps two owners' threads apart in dumps.
   */
  public ThreadFactoryBuilder(String ownerTag) {
    this.ownerTag = ownerTag;
  }

  /** A factory naming its threads {@code <prefix>-<tag>} or {@code <prefix>-<tag>-<n>}. */
  public ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      int n = count.incrementAndGet();
      Thread t = new Thread(runnable, prefix + "-" + ownerTag + (n == 1 ? "" : "-" + n));
      t.setDaemon(true);
      t.setUncaughtExceptionHandler(
          (thread, e) ->
              org.slf4j.LoggerFactory.getLogger(ThreadFactoryBuilder.class)
                  .warn("uncaught exception in {}", thread.getName(), e));
      return t;
    };
  }
}

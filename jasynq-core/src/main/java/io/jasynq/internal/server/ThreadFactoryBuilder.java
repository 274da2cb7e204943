package io.jasynq.internal.server;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes jasynq's own threads: daemon (a forgotten server never keeps a JVM alive), named {@code
 * jasynq-<role>[-n]} so leaks are visible, with uncaught exceptions logged rather than lost.
 */
public final class ThreadFactoryBuilder {
  private final String serverTag;

  /** Threads of one server; {@code serverTag} keeps two servers' threads apart in dumps. */
  public ThreadFactoryBuilder(String serverTag) {
    this.serverTag = serverTag;
  }

  /** A factory naming its threads {@code <prefix>-<tag>} or {@code <prefix>-<tag>-<n>}. */
  public ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      int n = count.incrementAndGet();
      Thread t = new Thread(runnable, prefix + "-" + serverTag + (n == 1 ? "" : "-" + n));
      t.setDaemon(true);
      t.setUncaughtExceptionHandler(
          (thread, e) ->
              org.slf4j.LoggerFactory.getLogger(ThreadFactoryBuilder.class)
                  .warn("uncaught exception in {}", thread.getName(), e));
      return t;
    };
  }
}

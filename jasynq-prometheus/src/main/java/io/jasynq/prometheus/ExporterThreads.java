package io.jasynq.prometheus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the exporter's daemon threads: {@code name}, then {@code name-2}, {@code name-3}, ...; and
 * remembers them, so that stopping can wait until they have ended (an executor counts as terminated
 * a moment before its last thread ends).
 */
final class ExporterThreads implements ThreadFactory {
  private final String name;
  private final AtomicInteger count = new AtomicInteger();
  private final List<Thread> made = new CopyOnWriteArrayList<>();

  ExporterThreads(String name) {
    this.name = name;
  }

  @Override
  public Thread newThread(Runnable r) {
    int n = count.incrementAndGet();
    Thread t = new Thread(r, n == 1 ? name : name + "-" + n);
    t.setDaemon(true);
    made.add(t);
    return t;
  }

  /** Waits up to {@code millis} in all for the threads made here to end; true if they did. */
  boolean awaitEnded(long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000L;
    for (Thread t : made) {
      long left = (end - System.nanoTime()) / 1_000_000L;
      if (left <= 0 && t.isAlive()) {
        return false;
      }
      t.join(Math.max(1, left));
    }
    return made.stream().noneMatch(Thread::isAlive);
  }
}

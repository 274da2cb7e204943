package io.jasynq.prometheus;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes the exporter's daemon threads: {@code name}, then {@code name-2}, {@code name-3}, ... */
final class ExporterThreads implements ThreadFactory {
  private final String name;
  private final AtomicInteger count = new AtomicInteger();

  ExporterThreads(String name) {
    this.name = name;
  }

  @Override
  public Thread newThread(Runnable r) {
    int n = count.incrementAndGet();
    Thread t = new Thread(r, n == 1 ? name : name + "-" + n);
    t.setDaemon(true);
    return t;
  }
}

package io.jasynq.testkit;

import io.jasynq.embedded.Resp;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Leaks made on purpose: a {@code jasynq-*} thread that holds a named Redis connection. */
final class LeakFixtures {
  static final String THREAD_NAME = "jasynq-leak";
  static final String CONNECTION_NAME = "leaky-fixture";

  private LeakFixtures() {}

  /**
   * Starts a thread named {@value #THREAD_NAME} that opens a connection named {@value
   * #CONNECTION_NAME} (if {@code port > 0}) and holds both until it is interrupted.
   */
  static Thread leakThread(int port) throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(1);
    Thread thread =
        new Thread(
            () -> {
              if (port <= 0) {
                ready.countDown();
                awaitInterrupt();
                return;
              }
              try (Resp resp = Resp.connect(port, Duration.ofSeconds(5))) {
                resp.call("CLIENT", "SETNAME", CONNECTION_NAME);
                ready.countDown();
                awaitInterrupt();
              } catch (IOException e) {
                ready.countDown();
              }
            },
            THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
    if (!ready.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("leak thread did not get ready");
    }
    return thread;
  }

  /** Interrupts every live thread named {@value #THREAD_NAME} and waits for it to end. */
  static void endLeakThreads() throws InterruptedException {
    for (Thread thread : Leaks.jasynqThreads()) {
      if (thread.getName().equals(THREAD_NAME)) {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
  }

  private static void awaitInterrupt() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      // Asked to end: let the thread finish.
    }
  }
}

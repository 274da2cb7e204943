package io.jasynq.spring.boot;

import java.util.concurrent.ThreadFactory;

/**
 * Virtual worker threads on Java 21+, found reflectively: this module compiles for Java 17.
 * Stateless.
 */
final class WorkerThreads {
  private WorkerThreads() {}

  /** Whether this JVM has virtual threads. */
  static boolean available() {
    return Runtime.version().feature() >= 21;
  }

  /**
   * {@code Thread.ofVirtual().name("jasynq-worker-", 0).factory()}.
   *
   * @throws IllegalStateException on Java 20 and older, naming the version
   */
  static ThreadFactory virtual() {
    if (!available()) {
      throw new IllegalStateException(
          "jasynq.server.virtual-threads=true needs Java 21 or later, running on "
              + Runtime.version().feature());
    }
    try {
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      builder =
          ofVirtual
              .getMethod("name", String.class, long.class)
              .invoke(builder, "jasynq-worker-", 0L);
      return (ThreadFactory) ofVirtual.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make virtual threads on this JVM: " + e, e);
    }
  }
}

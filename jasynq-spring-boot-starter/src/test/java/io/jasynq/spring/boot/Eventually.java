package io.jasynq.spring.boot;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Awaits a condition with a deadline: no sleep-then-assert. */
final class Eventually {
  private Eventually() {}

  static void until(Duration timeout, String what, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what);
      }
    }
  }

  static void until(String what, BooleanSupplier condition) {
    until(Duration.ofSeconds(10), what, condition);
  }
}

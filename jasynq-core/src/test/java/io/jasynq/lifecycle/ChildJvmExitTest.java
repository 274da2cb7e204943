package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.support.ChildJvm;
import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisSentinelTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A JVM whose main returns exits by itself, promptly, with exit code 0 and nothing on stderr:
 * whether it closed its Sentinel-backed Client and Server or forgot to. No finalizer or cleaner
 * work, no "event executor terminated", no non-daemon thread left running.
 */
@RedisSentinelTest
class ChildJvmExitTest {
  private final RedisSentinel sentinel;

  ChildJvmExitTest(RedisSentinel sentinel) {
    this.sentinel = sentinel;
  }

  @Test
  void childThatClosesEverythingExitsCleanly() throws Exception {
    ChildJvm.Result child =
        ChildJvm.run(Duration.ofSeconds(90), LifecycleChild.class, "close", sentinel.uri());
    assertClean("closes everything", child);
    assertThat(child.stdout()).contains("closed");
  }

  @Test
  void childThatForgetsToCloseExitsCleanlyToo() throws Exception {
    ChildJvm.Result child =
        ChildJvm.run(Duration.ofSeconds(90), LifecycleChild.class, "forget", sentinel.uri());
    assertClean("forgets to close", child);
    assertThat(child.stdout()).doesNotContain("\nclosed");
  }

  private static void assertClean(String mode, ChildJvm.Result child) {
    long returnedAt =
        child
            .stdout()
            .lines()
            .filter(l -> l.startsWith("returning from main at "))
            .mapToLong(l -> Long.parseLong(l.substring("returning from main at ".length())))
            .findFirst()
            .orElseThrow(() -> new AssertionError("main did not return: " + child));
    long exitMillis = child.exitedAtMillis() - returnedAt;
    System.out.printf(
        "child JVM (%s) exited %d, %d ms after main returned (%d ms in all)%n",
        mode, child.exitCode(), exitMillis, child.took().toMillis());
    assertThat(exitMillis).as("ms from main's return to the JVM's exit").isLessThan(10_000);
    assertThat(child.exitCode()).as(child.toString()).isZero();
    assertThat(child.stderr()).as(child.toString()).isEmpty();
    assertThat(child.stdout()).as(child.toString()).contains("processed 20");
    assertThat(child.stdout()).as(child.toString()).contains("returning from main");
    assertThat(child.stdout()).as(child.toString()).doesNotContain("non-daemon thread");
    assertThat(child.warningsAndErrors()).as(child.toString()).isEmpty();
  }
}

package io.jasynq.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.support.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicRunnerTest {
  /** A part whose passes fail or succeed as scripted, then succeed. */
  private static final class Scripted implements PeriodicPart {
    final List<Boolean> fails;
    final AtomicInteger pass = new AtomicInteger();
    final CountDownLatch done;

    Scripted(List<Boolean> fails) {
      this.fails = fails;
      this.done = new CountDownLatch(fails.size());
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public void runOnce(Instant now) {
      int n = pass.getAndIncrement();
      if (n >= fails.size()) {
        return;
      }
      done.countDown();
      if (fails.get(n)) {
        throw new IllegalStateException("pass " + n + " failed");
      }
    }
  }

  private static List<String> run(List<Boolean> fails) throws InterruptedException {
    Scripted part = new Scripted(fails);
    PeriodicRunner runner =
        new PeriodicRunner(Clock.systemUTC(), new ThreadFactoryBuilder("periodic-runner-test"));
    try (LogCapture logs = LogCapture.start()) {
      runner.schedule(part, Duration.ZERO, Duration.ofMillis(5));
      assertThat(part.done.await(30, TimeUnit.SECONDS)).isTrue();
      runner.shutdown(Duration.ofSeconds(5));
      return logs.warningsAndErrors();
    } finally {
      runner.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void aSingleFailedPassBetweenGoodOnesLogsNothingAboveDebug() throws Exception {
    assertThat(run(List.of(false, true, false, true, false))).isEmpty();
  }

  @Test
  void passesFailingInARowLogOneWarnUntilThePartWorksAgain() throws Exception {
    List<String> warnings = run(List.of(true, true, true, true, false, true, true, false));
    assertThat(warnings)
        .hasSize(2)
        .allMatch(w -> w.startsWith("WARN ") && w.contains("scripted failed twice"));
  }
}

package io.jasynq.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.internal.Lifecycle.State;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  @Test
  void startableGoesNewRunningStoppedClosed() {
    Lifecycle l = Lifecycle.startable("server");
    assertThat(l.state()).isEqualTo(State.NEW);
    assertThat(l.stop()).as("stop before start").isFalse();
    l.start();
    assertThat(l.toString()).isEqualTo("running");
    assertThatThrownBy(l::start).hasMessage("server is already running");
    assertThat(l.stop()).isTrue();
    assertThat(l.stop()).as("second stop").isFalse();
    assertThatThrownBy(l::start).hasMessage("server is already running");
    l.ensureOpen();
    AtomicInteger closes = new AtomicInteger();
    l.close(closes::incrementAndGet);
    l.close(closes::incrementAndGet);
    assertThat(closes).hasValue(1);
    assertThat(l.state()).isEqualTo(State.CLOSED);
    assertThat(l.closed().getCount()).isZero();
    assertThatThrownBy(l::start).hasMessage("server is closed");
    assertThatThrownBy(l::ensureOpen).hasMessage("server is closed");
    assertThat(l.stop()).isFalse();
  }

  @Test
  void openBeginsRunningAndAFailedStartCanBeRetried() {
    assertThat(Lifecycle.open("client").state()).isEqualTo(State.RUNNING);
    Lifecycle l = Lifecycle.startable("manager");
    l.start();
    l.startFailed();
    assertThat(l.state()).isEqualTo(State.NEW);
    l.start();
    assertThat(l.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void closeInBackgroundCountsAsClosingAtOnceAndNoCallerWaits() throws Exception {
    Lifecycle l = Lifecycle.open("client");
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> thread = new AtomicReference<>();
    l.closeInBackground(
        () -> {
          thread.set(Thread.currentThread().getName());
          await(release);
        },
        "jasynq-close");
    assertThat(l.isClosed()).isTrue();
    assertThat(l.state()).isEqualTo(State.CLOSING);
    l.closeInBackground(() -> {}, "jasynq-close"); // returns at once
    l.closeWithoutWaiting(() -> {}); // returns at once
    release.countDown();
    assertThat(l.closed().await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(l.state()).isEqualTo(State.CLOSED);
    assertThat(thread).hasValue("jasynq-close");
  }

  @Test
  void laterClosersWaitForTheFirst() throws Exception {
    Lifecycle l = Lifecycle.open("inspector");
    CountDownLatch closing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread first =
        new Thread(
            () ->
                l.close(
                    () -> {
                      closing.countDown();
                      await(release);
                    }));
    first.start();
    assertThat(closing.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch secondReturned = new CountDownLatch(1);
    Thread second =
        new Thread(
            () -> {
              l.close(() -> {});
              secondReturned.countDown();
            });
    second.start();
    assertThat(secondReturned.getCount()).isOne();
    release.countDown();
    assertThat(secondReturned.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(l.state()).isEqualTo(State.CLOSED);
    first.join();
    second.join();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

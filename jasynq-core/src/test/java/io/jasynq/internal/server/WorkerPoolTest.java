package io.jasynq.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.testkit.Eventually;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker pool's threads: one per slot, plus one lent for each thread that holds no slot. */
class WorkerPoolTest {
  private final AtomicInteger made = new AtomicInteger();
  private final WorkerPool pool =
      new WorkerPool(
          2,
          r -> {
            Thread t = new Thread(r, "worker-pool-test-" + made.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  @AfterEach
  void stop() {
    pool.stopWorkers();
  }

  @Test
  void workBeyondTheSlotsWaitsForAThreadInsteadOfGrowingThePool() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch third = new CountDownLatch(1);
    pool.execute(() -> awaitQuietly(release));
    pool.execute(() -> awaitQuietly(release));
    pool.execute(third::countDown);
    assertThat(third.await(200, TimeUnit.MILLISECONDS))
        .as("queued behind two busy threads")
        .isFalse();
    release.countDown();
    assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(made).hasValue(2);
  }

  @Test
  void aLentThreadRunsWorkWhileTheSlotThreadsAreBusyAndIsGivenBack() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch detached = new CountDownLatch(1);
    CountDownLatch afterAbandon = new CountDownLatch(1);
    pool.execute(() -> awaitQuietly(release));
    pool.execute(() -> awaitQuietly(release));

    pool.executeDetached(detached::countDown);
    assertThat(detached.await(10, TimeUnit.SECONDS)).isTrue();
    Eventually.until("the detached work's thread given back", () -> pool.lent() == 0);

    pool.lend(); // as for an abandoned handler: its thread stays busy
    pool.execute(afterAbandon::countDown);
    assertThat(afterAbandon.await(10, TimeUnit.SECONDS)).isTrue();
    pool.giveBack();
    assertThat(pool.lent()).isZero();
    release.countDown();
  }

  @Test
  void detachedWorkIsRefusedOnceStoppedAndLendsNothing() {
    pool.stopWorkers();
    assertThatThrownBy(() -> pool.executeDetached(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
    assertThat(pool.lent()).isZero();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

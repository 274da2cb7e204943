package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@RedisTest
class LeaksTest {
  @AfterEach
  void endLeaks() throws InterruptedException {
    LeakFixtures.endLeakThreads();
  }

  @Test
  void listsLiveJasynqThreadsOnly() throws InterruptedException {
    Thread leak = LeakFixtures.leakThread(0);

    assertThat(Leaks.jasynqThreads())
        .contains(leak)
        .allSatisfy(thread -> assertThat(thread.getName()).startsWith("jasynq-"));
  }

  @Test
  void threadCheckFailsWhileANewJasynqThreadLivesAndPassesOnceItEnds() throws InterruptedException {
    Set<Thread> baseline = Leaks.jasynqThreads();
    Thread leak = LeakFixtures.leakThread(0);

    assertThatThrownBy(() -> Leaks.awaitNoNewJasynqThreads(baseline, Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 jasynq thread(s) still alive 100 ms after the test")
        .hasMessageContaining("jasynq-leak (daemon=true, state=WAITING)")
        .hasMessageContaining("java.util.concurrent.CountDownLatch.await");

    leak.interrupt();

    assertThatCode(() -> Leaks.awaitNoNewJasynqThreads(baseline, Duration.ofSeconds(5)))
        .doesNotThrowAnyException();
    assertThat(leak.isAlive()).isFalse();
  }

  @Test
  void threadCheckIgnoresThreadsAliveAtTheBaseline() throws InterruptedException {
    LeakFixtures.leakThread(0);
    Set<Thread> baseline = Leaks.jasynqThreads();

    assertThatCode(() -> Leaks.awaitNoNewJasynqThreads(baseline, Duration.ZERO))
        .doesNotThrowAnyException();
  }

  @Test
  void connectionCheckDetectsAnUnclosedConnectionAndPassesOnceClosed(
      RedisServer server, TestRedis redis) throws InterruptedException {
    List<ClientConnection> baseline = Leaks.clientConnections(redis);
    Thread leak = LeakFixtures.leakThread(server.port());

    assertThatThrownBy(
            () -> Leaks.awaitNoNewClientConnections(redis, baseline, Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Redis still has " + (baseline.size() + 1) + " client connection(s)")
        .hasMessageMatching(
            "(?s).*addr=127\\.0\\.0\\.1:\\d+ name=leaky-fixture age=\\d+s cmd=client(\\|setname)?.*"); // Redis 7 / 6.2

    leak.interrupt();
    leak.join();

    assertThatCode(() -> Leaks.awaitNoNewClientConnections(redis, baseline, Duration.ofSeconds(5)))
        .doesNotThrowAnyException();
  }

  @Test
  void connectionCheckIgnoresTestRedisConnections(RedisServer server, TestRedis redis) {
    List<ClientConnection> baseline = Leaks.clientConnections(redis);

    try (TestRedis another = TestRedis.connect(server.uri())) {
      another.commands().ping();
      assertThat(Leaks.clientConnections(redis)).hasSameSizeAs(baseline);
      assertThatCode(() -> Leaks.awaitNoNewClientConnections(redis, baseline, Duration.ZERO))
          .doesNotThrowAnyException();
    }
  }
}

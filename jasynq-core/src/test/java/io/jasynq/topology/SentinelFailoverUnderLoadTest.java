package io.jasynq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.RetryDelay;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Sentinel failover while a producer enqueues and one server processes: every task whose enqueue
 * was acknowledged is processed, the same server keeps running, and the figures (enqueued,
 * acknowledged, processed, lost, duplicates, processing gap) are printed. Each case starts its own
 * topology (a killed master stays dead, and Sentinel refuses a second failover for 10 s).
 *
 * <p>Without durable enqueue, Redis's asynchronous replication can lose an acknowledged write (the
 * old master accepts it after the replica was promoted, or dies before sending it): such losses are
 * measured, and the test asserts only what jasynq guarantees, that every acknowledged task still in
 * Redis after the failover is processed. With durable enqueue ({@code WAIT} for one replica) it
 * asserts that none is lost.
 */
@Tag("topology")
class SentinelFailoverUnderLoadTest {
  private static final int RATE_PER_SECOND = 1000;
  private static final int IN_FLIGHT = 16;

  // One case only: -Djasynq.failover.only=KILL_MASTER,true

  enum Kind {
    SENTINEL_FAILOVER,
    KILL_MASTER
  }

  @ParameterizedTest(name = "{0}, durable enqueue {1}")
  @CsvSource({
    "SENTINEL_FAILOVER, false",
    "SENTINEL_FAILOVER, true",
    "KILL_MASTER, false",
    "KILL_MASTER, true"
  })
  void everyAcknowledgedTaskSurvivingTheFailoverIsProcessed(Kind kind, boolean durable)
      throws Exception {
    String only = System.getProperty("jasynq.failover.only");
    org.junit.jupiter.api.Assumptions.assumeTrue(only == null || only.equals(kind + "," + durable));
    Set<Thread> threadsBefore = Leaks.jasynqThreads();
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      run(sentinel, kind, durable);
    }
    Leaks.awaitNoNewJasynqThreads(threadsBefore, Duration.ofSeconds(10));
  }

  private void run(RedisSentinel sentinel, Kind kind, boolean durable) throws Exception {
    Map<String, Integer> processed = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Long> processedAt = new ConcurrentLinkedQueue<>();
    List<String> health = new CopyOnWriteArrayList<>();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    AtomicInteger attempted = new AtomicInteger();
    AtomicBoolean producing = new AtomicBoolean(true);
    Semaphore inFlight = new Semaphore(IN_FLIGHT);

    Client.Builder clientBuilder = Client.builder().uri(sentinel.uri());
    if (durable) {
      clientBuilder.waitForReplicas(1, Duration.ofMillis(500));
    }
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(10)
            .taskCheckInterval(Duration.ofMillis(100))
            .healthCheckInterval(Duration.ofMillis(500))
            .recovererInterval(Duration.ofSeconds(1))
            .retryDelay(RetryDelay.constant(Duration.ZERO))
            .healthListener((up, error) -> health.add(up ? "up" : "down"))
            .build();
    try (Client client = clientBuilder.build();
        Server server = Server.connect(sentinel.uri(), config)) {
      server.start(
          ctx -> {
            processed.merge(ctx.taskId(), 1, Integer::sum);
            processedAt.add(System.nanoTime());
          });
      Thread producer =
          new Thread(
              () -> {
                long start = System.nanoTime();
                for (int n = 0; producing.get(); n++) {
                  long due = start + n * (1_000_000_000L / RATE_PER_SECOND);
                  long wait = due - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  inFlight.acquireUninterruptibly();
                  String id = "load-" + n;
                  attempted.incrementAndGet();
                  try {
                    client
                        .enqueueAsync(Task.of("load", id), TaskOption.taskId(id))
                        .whenComplete(
                            (info, error) -> {
                              if (error == null) {
                                acked.add(id);
                              } else {
                                failures
                                    .computeIfAbsent(name(error), k -> new AtomicInteger())
                                    .incrementAndGet();
                              }
                              inFlight.release();
                            });
                  } catch (RuntimeException e) {
                    failures.computeIfAbsent(name(e), k -> new AtomicInteger()).incrementAndGet();
                    inFlight.release();
                  }
                }
              },
              "failover-test-producer");
      producer.start();
      Eventually.until(
          Duration.ofSeconds(60),
          "500 tasks processed before the failover",
          () -> processed.size() >= 500);

      long failoverStart = System.nanoTime();
      if (kind == Kind.SENTINEL_FAILOVER) {
        sentinel.failover();
      } else {
        RedisServer killed = sentinel.master();
        sentinel.killMaster();
        killed
            .restart(); // it comes back as a replica of the new master (durable enqueue needs one)
      }
      long failoverDone = System.nanoTime();
      int ackedAtFailover = acked.size();
      // Produce on until 1000 more enqueues were acknowledged (at most 60 s: durable enqueues fail
      // while the new master has no replica yet).
      long produceUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.size() < ackedAtFailover + 1000 && System.nanoTime() < produceUntil) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
      producing.set(false);
      producer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(inFlight.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS)).isTrue();
      long producerStopped = System.nanoTime();
      int ackedAfterFailover = acked.size() - ackedAtFailover;

      // A task whose completion was written to the old master only is still active on the new one:
      // the recoverer returns it once its lease has expired (30 s) and the grace period (30 s).
      // Stop waiting once every acknowledged task is processed or gone from Redis (lost by
      // replication: nothing is left to process it), so a lossy run does not wait out the deadline.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      try (TestRedis master = TestRedis.connect(sentinel.master().uri())) {
        while (System.nanoTime() < deadline
            && acked.stream()
                .anyMatch(
                    id ->
                        !processed.containsKey(id)
                            && master.commands().exists("asynq:{default}:t:" + id) > 0)) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
      }
      List<String> lost = acked.stream().filter(id -> !processed.containsKey(id)).sorted().toList();
      int duplicates = processed.values().stream().mapToInt(c -> c - 1).sum();
      long[] gap =
          maxGap(processedAt, failoverStart - TimeUnit.SECONDS.toNanos(1), producerStopped);
      long gapMillis = TimeUnit.NANOSECONDS.toMillis(gap[0]);
      long gapStartMillis = TimeUnit.NANOSECONDS.toMillis(gap[1] - failoverStart);
      long duringFailover =
          processedAt.stream().filter(t -> t >= failoverStart && t <= failoverDone).count();
      System.out.printf(
          "FAILOVER %s durable=%s: enqueued %d, acknowledged %d, failed %s, processed %d (distinct"
              + " %d), lost %d, duplicates %d, gap %d ms (starting %d ms after the failover"
              + " began), failover took %d ms (%d processed meanwhile), acknowledged after it %d,"
              + " health %s%n",
          kind,
          durable,
          attempted.get(),
          acked.size(),
          new TreeMap<>(failures),
          processed.values().stream().mapToInt(Integer::intValue).sum(),
          processed.size(),
          lost.size(),
          duplicates,
          gapMillis,
          gapStartMillis,
          TimeUnit.NANOSECONDS.toMillis(failoverDone - failoverStart),
          duringFailover,
          ackedAfterFailover,
          health);

      StringBuilder timeline = new StringBuilder();
      for (long b = failoverStart - TimeUnit.SECONDS.toNanos(1);
          b < failoverDone + TimeUnit.SECONDS.toNanos(2);
          b += TimeUnit.MILLISECONDS.toNanos(250)) {
        long lo = b;
        long hi = b + TimeUnit.MILLISECONDS.toNanos(250);
        timeline.append(processedAt.stream().filter(t -> t >= lo && t < hi).count()).append(' ');
      }
      System.out.println("FAILOVER processed per 250 ms from 1 s before: " + timeline);
      try (TestRedis master = TestRedis.connect(sentinel.master().uri())) {
        String info = master.commands().info("replication");
        System.out.println(
            "FAILOVER master after the run: "
                + info.lines()
                    .filter(l -> l.startsWith("connected_slaves") || l.startsWith("role"))
                    .toList());
      }
      // The same server kept processing: tasks acknowledged after the failover were processed.
      assertThat(server.toString()).doesNotContain("closed");
      assertThat(ackedAfterFailover).as("enqueues acknowledged after the failover").isPositive();
      if (durable) {
        assertThat(lost).as("acknowledged durable enqueues lost").isEmpty();
      } else {
        // Whatever was lost is gone from Redis (lost by replication), not left unprocessed.
        try (TestRedis master = TestRedis.connect(sentinel.master().uri())) {
          for (String id : lost) {
            assertThat(master.commands().exists("asynq:{default}:t:" + id))
                .as("acknowledged task %s is in Redis but was not processed", id)
                .isZero();
          }
        }
      }
      if (health.contains("down")) {
        Eventually.until(
            Duration.ofSeconds(30),
            "the health listener reports up again",
            () -> health.get(health.size() - 1).equals("up"));
      }
    }
  }

  /**
   * The longest time between two consecutive processed tasks from {@code from} on, up to the first
   * task after {@code to}, and when it began: {length, start} in nanos.
   */
  private static long[] maxGap(ConcurrentLinkedQueue<Long> times, long from, long to) {
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    long max = 0;
    long start = from;
    Long previous = null;
    for (long t : sorted) {
      if (t < from) {
        previous = t;
        continue;
      }
      if (previous != null && t - previous > max) {
        max = t - previous;
        start = previous;
      }
      if (t > to) {
        break; // the first task after the window closes the gap that straddles its end
      }
      previous = t;
    }
    return new long[] {max, start};
  }

  private static String name(Throwable error) {
    Throwable e = error;
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e.getClass().getSimpleName();
  }
}

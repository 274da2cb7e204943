package io.jasynq;

import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Started schedulers sharing one entry, stepped one cron tick at a time on a fake clock: {@link
 * #tick()} moves the clock to the next minute, waits until every scheduler's own loop thread has
 * tried it, then until its pass is over (a {@code runOnce} at the same instant waits for the pass
 * under way and finds nothing due). What each scheduler's post-enqueue callback saw is kept per
 * tick, so two acknowledged enqueues of one tick are visible. For failover tests.
 */
public final class CronTicks implements AutoCloseable {
  /** What one scheduler reported for one tick. */
  public record Outcome(int scheduler, String taskId, RuntimeException error) {}

  private final FakeClock clock;
  private final List<Scheduler> schedulers = new ArrayList<>();
  private final List<AtomicInteger> tried = new ArrayList<>();
  private final Map<Instant, List<Outcome>> outcomes = new ConcurrentHashMap<>();
  private int ticks;

  // The clock when the pass under way on this thread fired: post-enqueue runs after a Redis round
  // trip, by when the ticker may have moved the clock on (a retry of a tick Redis did not take).
  private final ThreadLocal<Instant> firing = new ThreadLocal<>();

  /**
   * Starts {@code count} schedulers on {@code uri}, each with the entry {@code * * * * *} → {@code
   * Task.of("tick")} in {@code queue}, and a heartbeat every second.
   */
  public CronTicks(String uri, FakeClock clock, int count, String queue) {
    this.clock = clock;
    try {
      for (int i = 0; i < count; i++) {
        int me = i;
        AtomicInteger n = new AtomicInteger();
        tried.add(n);
        SchedulerConfig config =
            SchedulerConfig.builder()
                .clock(clock)
                .heartbeatInterval(Duration.ofSeconds(1))
                .preEnqueue(
                    (task, options) -> {
                      firing.set(clock.instant());
                      n.incrementAndGet();
                    })
                .postEnqueue(
                    (info, error) ->
                        outcomes
                            .computeIfAbsent(firing.get(), k -> new CopyOnWriteArrayList<>())
                            .add(new Outcome(me, info == null ? null : info.id(), error)))
                .build();
        Scheduler s = Scheduler.connect(uri, config);
        schedulers.add(s);
        s.register("* * * * *", Task.of("tick"), TaskOption.queue(queue));
        s.start();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public List<Scheduler> schedulers() {
    return schedulers;
  }

  /** Fires the next tick on every scheduler and returns its time once every pass is over. */
  public Instant tick() {
    Instant at = clock.advance(Duration.ofMinutes(1));
    int n = ++ticks;
    for (int i = 0; i < schedulers.size(); i++) {
      AtomicInteger t = tried.get(i);
      Eventually.until(
          Duration.ofSeconds(60), "scheduler " + i + " tried tick " + n, () -> t.get() >= n);
      schedulers.get(i).runOnce(at); // waits for the pass under way; nothing is due any more
    }
    return at;
  }

  /** What the schedulers reported for the tick at {@code at}, in no particular order. */
  public List<Outcome> outcomes(Instant at) {
    return outcomes.getOrDefault(at, List.of());
  }

  /** The task IDs acknowledged for the tick at {@code at}. */
  public List<String> acknowledged(Instant at) {
    return outcomes(at).stream().filter(o -> o.taskId() != null).map(Outcome::taskId).toList();
  }

  @Override
  public void close() {
    schedulers.forEach(Scheduler::close);
  }
}

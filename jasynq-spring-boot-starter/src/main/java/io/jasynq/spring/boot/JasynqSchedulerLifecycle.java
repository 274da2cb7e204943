package io.jasynq.spring.boot;

import io.jasynq.Scheduler;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the context's periodic tasks ({@code jasynq.periodic.*}, then {@link Periodic}
 * annotations) on the {@link Scheduler} bean and starts it; closes it when the context closes.
 *
 * <p><b>Phase</b> {@link JasynqServerLifecycle#PHASE}, the server's: it starts after the
 * application's Redis connection factory and stops before it (see {@link JasynqServerLifecycle}).
 * <b>Start</b> checks every entry first (cron, zone, type, and that an annotated entry's type is
 * served by its own handler) and fails the context with a message naming the property or the
 * annotation and the value; only then is the scheduler bean created and started. Without entries
 * and unless {@code jasynq.scheduler.enabled=true}, the scheduler is not even created. <b>Stop</b>
 * runs {@link Scheduler#close()} (stop enqueuing, remove the entries from Redis) on a short-lived
 * {@code jasynq-spring-scheduler-stop} thread; a closed scheduler cannot start again.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class JasynqSchedulerLifecycle extends JasynqLifecycle {
  private static final Logger log = LoggerFactory.getLogger(JasynqSchedulerLifecycle.class);

  private final Supplier<Scheduler> scheduler;
  private final Supplier<List<PeriodicEntry>> entries;
  private final Runnable checkRoutes;
  private final @Nullable Boolean enabled;
  private volatile @Nullable Scheduler running;

  JasynqSchedulerLifecycle(
      Supplier<Scheduler> scheduler,
      Supplier<List<PeriodicEntry>> entries,
      Runnable checkRoutes,
      @Nullable Boolean enabled) {
    super("scheduler", "jasynq-spring-scheduler-stop");
    this.scheduler = scheduler;
    this.entries = entries;
    this.checkRoutes = checkRoutes;
    this.enabled = enabled;
  }

  @Override
  boolean startRunning() {
    List<PeriodicEntry> all = entries.get();
    if (all.isEmpty() && !Boolean.TRUE.equals(enabled)) {
      log.debug("jasynq scheduler not started: no periodic tasks");
      return false;
    }
    all.forEach(PeriodicEntry::validate);
    checkRoutes.run();
    Scheduler s = scheduler.get();
    all.forEach(e -> e.register(s));
    running = s;
    s.start();
    log.info(
        "jasynq scheduler {} started, periodic tasks {}",
        s.schedulerId(),
        all.stream().map(e -> e.source() + " " + e.spec()).toList());
    return true;
  }

  @Override
  void stopRunning() {
    Objects.requireNonNull(running).close();
  }

  @Override
  public String toString() {
    return describe(running);
  }
}

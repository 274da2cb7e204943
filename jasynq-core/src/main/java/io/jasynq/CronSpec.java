package io.jasynq;

import io.jasynq.internal.scheduler.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron spec as the {@link Scheduler} reads it: the grammar of robfig/cron v3's standard parser,
 * which Go Asynq uses, so a spec means the same thing to both.
 *
 * <ul>
 *   <li>Five fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or {@code
 *       JAN}-{@code DEC}), day of week (0-6, 0 = Sunday, or {@code SUN}-{@code SAT}; 7 is an
 *       error). No seconds field. Names are case-insensitive.
 *   <li>In each field: {@code *} or {@code ?} (any), a value, a range {@code a-b}, a step {@code
 *       *}{@code /n}, {@code a-b/n} or {@code a/n} (= {@code a-max/n}), and lists of those
 *       separated by commas.
 *   <li>When both day fields are restricted (neither is {@code *} or {@code ?}), a day matches if
 *       either matches: {@code 0 0 13 * FRI} fires on every 13th and every Friday. {@code *}{@code
 *       /2} counts as restricted.
 *   <li>{@code @yearly} ({@code @annually}), {@code @monthly}, {@code @weekly}, {@code @daily}
 *       ({@code @midnight}), {@code @hourly}, and {@code @every <Go duration>} such as {@code
 *       @every 1h30m}: a fixed delay in whole seconds (at least 1 s) counted from when the entry
 *       is scheduled.
 *   <li>A {@code CRON_TZ=<IANA zone> } or {@code TZ=<IANA zone> } prefix evaluates the spec in
 *       that zone instead of the scheduler's.
 * </ul>
 *
 * <p>Daylight saving time is handled as Go's cron does it: a wall time that does not exist on a
 * spring-forward day is skipped, and one that happens twice on a fall-back day fires twice.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class CronSpec {
  private final CronSchedule schedule;

  private CronSpec(CronSchedule schedule) {
    this.schedule = schedule;
  }

  /**
   * Parses {@code spec}, evaluated in UTC unless it has a zone prefix.
   *
   * @throws IllegalArgumentException naming the field and why the spec is invalid
   */
  public static CronSpec parse(String spec) {
    return parse(spec, ZoneOffset.UTC);
  }

  /**
   * Parses {@code spec}, evaluated in {@code zone} unless it has a zone prefix.
   *
   * @throws IllegalArgumentException naming the field and why the spec is invalid
   */
  public static CronSpec parse(String spec, ZoneId zone) {
    return new CronSpec(CronSchedule.parse(spec, zone));
  }

  /** The spec as given, prefix included. */
  public String spec() {
    return schedule.spec();
  }

  /** The zone the spec is evaluated in. */
  public ZoneId zone() {
    return schedule.zone();
  }

  /** The delay of an {@code @every} spec; empty for a calendar spec. */
  public Optional<Duration> every() {
    return Optional.ofNullable(schedule.every());
  }

  /**
   * The first fire time strictly after {@code after}, in whole seconds; empty if the spec does not
   * fire within five years (such as {@code 0 0 30 2 *}). For {@code @every}: {@code after}, without
   * its fraction of a second, plus the delay.
   */
  public Optional<Instant> next(Instant after) {
    Objects.requireNonNull(after, "after == null");
    return Optional.ofNullable(schedule.next(after));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronSpec c && spec().equals(c.spec()) && zone().equals(c.zone());
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec(), zone());
  }

  @Override
  public String toString() {
    return spec();
  }
}

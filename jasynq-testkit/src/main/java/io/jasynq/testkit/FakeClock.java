package io.jasynq.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until the test moves it, in UTC.
 *
 * <pre>{@code
 * FakeClock clock = FakeClock.at("2025-01-01T00:00:00Z");
 * clock.advance(Duration.ofSeconds(31));
 * }</pre>
 *
 * <p>Thread-safe: the time is one atomic reference, shared with every clock made by {@link
 * #withZone(ZoneId)}, so moving one moves them all.
 *
 * @since 0.1.0
 */
public final class FakeClock extends Clock {
  private final AtomicReference<Instant> time;
  private final ZoneId zone;

  private FakeClock(AtomicReference<Instant> time, ZoneId zone) {
    this.time = time;
    this.zone = zone;
  }

  /**
   * A clock fixed at an ISO-8601 instant.
   *
   * @param isoInstant e.g. {@code "2025-01-01T00:00:00Z"}
   * @return a new clock in UTC
   * @throws NullPointerException if {@code isoInstant} is null
   * @throws java.time.format.DateTimeParseException if it is not an ISO-8601 instant
   */
  public static FakeClock at(String isoInstant) {
    Objects.requireNonNull(isoInstant, "isoInstant == null");
    return at(Instant.parse(isoInstant));
  }

  /**
   * A clock fixed at {@code instant}.
   *
   * @param instant the starting time
   * @return a new clock in UTC
   * @throws NullPointerException if {@code instant} is null
   */
  public static FakeClock at(Instant instant) {
    Objects.requireNonNull(instant, "instant == null");
    return new FakeClock(new AtomicReference<>(instant), ZoneOffset.UTC);
  }

  /**
   * The current fake time.
   *
   * @return the instant last set or advanced to
   */
  @Override
  public Instant instant() {
    return Objects.requireNonNull(time.get());
  }

  /**
   * The current fake time; the same as {@link #instant()}.
   *
   * @return the instant last set or advanced to
   */
  public Instant now() {
    return Objects.requireNonNull(time.get());
  }

  /**
   * The current fake time in epoch milliseconds.
   *
   * @return {@code instant().toEpochMilli()}
   */
  @Override
  public long millis() {
    return Objects.requireNonNull(time.get()).toEpochMilli();
  }

  /**
   * Moves the time forward, atomically.
   *
   * @param amount how far; zero is allowed
   * @return the new time
   * @throws NullPointerException if {@code amount} is null
   * @throws IllegalArgumentException if {@code amount} is negative (use {@link #set(Instant)} to go
   *     back)
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount == null");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must be >= 0, was " + amount);
    }
    return time.updateAndGet(now -> now.plus(amount));
  }

  /**
   * Sets the time, forward or backward.
   *
   * @param instant the new time
   * @throws NullPointerException if {@code instant} is null
   */
  public void set(Instant instant) {
    Objects.requireNonNull(instant, "instant == null");
    time.set(instant);
  }

  /**
   * The zone: UTC unless this clock came from {@link #withZone(ZoneId)}.
   *
   * @return the zone
   */
  @Override
  public ZoneId getZone() {
    return zone;
  }

  /**
   * A clock in another zone that shares this clock's time: advancing either moves both.
   *
   * @param zone the zone
   * @return this clock if the zone is the same, else a new view
   * @throws NullPointerException if {@code zone} is null
   */
  @Override
  public FakeClock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone == null");
    return zone.equals(this.zone) ? this : new FakeClock(time, zone);
  }

  /** Shows the current instant and the zone. */
  @Override
  public String toString() {
    return "FakeClock[" + time.get() + ", " + zone + "]";
  }
}

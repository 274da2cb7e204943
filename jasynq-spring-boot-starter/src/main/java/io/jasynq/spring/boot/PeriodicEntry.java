package io.jasynq.spring.boot;

import io.jasynq.CronSpec;
import io.jasynq.Scheduler;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/**
 * One periodic task to register, from {@code jasynq.periodic.<name>} or a {@link Periodic}
 * annotation. {@code source} names where it was declared, for error messages; blank strings mean
 * unset. Immutable.
 */
@NullUnmarked // unset properties are null here until validate() rejects them
record PeriodicEntry(
    String source, String cron, String type, String payload, String queue, String zone) {

  /** The spec given to the scheduler: {@code CRON_TZ=<zone> <cron>} when a zone is set. */
  String spec() {
    if (blank(zone)) {
      return cron;
    }
    return "CRON_TZ=" + zone.strip() + " " + cron.strip();
  }

  /**
   * Checks the entry without Redis: a cron and a type given, a valid zone, a valid spec.
   *
   * @throws IllegalStateException naming the source, the value and the rule
   */
  void validate() {
    if (blank(cron)) {
      throw invalid("cron must be set");
    }
    if (blank(type)) {
      throw invalid("type must be set");
    }
    if (!blank(zone)) {
      String c = cron.strip();
      if (c.startsWith("CRON_TZ=") || c.startsWith("TZ=")) {
        throw invalid("give the zone either as zone or as a CRON_TZ= prefix of the cron, not both");
      }
      try {
        ZoneId.of(zone.strip());
      } catch (DateTimeException e) {
        throw invalid("zone \"" + zone + "\" is not a zone ID (" + e.getMessage() + ")");
      }
    }
    try {
      CronSpec.parse(spec());
    } catch (IllegalArgumentException e) {
      throw invalid("cron \"" + cron + "\" is invalid: " + e.getMessage());
    }
  }

  /**
   * Registers the entry and returns its ID.
   *
   * @throws IllegalStateException naming the source if the scheduler rejects it
   */
  String register(Scheduler scheduler) {
    Task task =
        blank(payload) ? Task.of(type) : Task.of(type, payload.getBytes(StandardCharsets.UTF_8));
    try {
      if (blank(queue)) {
        return scheduler.register(spec(), task);
      }
      return scheduler.register(spec(), task, TaskOption.queue(queue.strip()));
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private IllegalStateException invalid(@Nullable String why) {
    return new IllegalStateException(source + ": " + why);
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}

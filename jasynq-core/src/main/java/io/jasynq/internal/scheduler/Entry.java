package io.jasynq.internal.scheduler;

import io.jasynq.Task;
import io.jasynq.TaskOption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * One registered periodic entry: what it enqueues, when, and its identity across schedulers. The
 * fire times are written by the scheduler loop (under its lock) and read by the heartbeat.
 */
final class Entry {
  /** The shortest life of a fire record: a week, so a restart can still see the last tick. */
  private static final Duration MIN_RECORD_TTL = Duration.ofDays(7);

  /**
   * The shortest life of a history after its last event (Asynq's never expire, wire-format §9.14).
   */
  private static final Duration MIN_HISTORY_TTL = Duration.ofDays(1);

  final String id;
  final CronSchedule schedule;
  final Task task;
  final List<TaskOption> options; // the Register options, applied after the task's own
  final List<String> optionStrings; // the task's own options, then the Register options
  final String queue; // where the tasks go, for the fire record's slot
  final String identity;
  final long gapSeconds;
  final Duration recordTtl;
  final Duration historyTtl;

  // Written under the runtime's lock, read by the heartbeat.
  volatile boolean scheduled; // next was computed
  volatile Instant next; // null: never (or not yet scheduled)
  volatile Instant prev; // null: never fired
  volatile Instant failing; // the tick Redis did not take, tried again by the next pass; or null

  Entry(
      String id,
      CronSchedule schedule,
      Task task,
      List<TaskOption> options,
      String queue,
      Instant now) {
    this.id = id;
    this.schedule = schedule;
    this.task = task;
    this.options = List.copyOf(options);
    List<TaskOption> all = new ArrayList<>(task.options());
    all.addAll(this.options);
    this.optionStrings = OptionStrings.of(all);
    this.queue = queue;
    this.identity = identity(schedule.zone(), schedule.spec(), task, optionStrings);
    Duration period = period(schedule, now);
    this.gapSeconds = schedule.every() == null ? 1 : schedule.every().getSeconds();
    this.recordTtl = max(MIN_RECORD_TTL, period.multipliedBy(2));
    this.historyTtl = max(MIN_HISTORY_TTL, period.multipliedBy(2));
  }

  /**
   * A hash equal for equal entries of every scheduler (the random entry ID differs): the zone the
   * spec is evaluated in, the spec, the task's type, payload and headers, and every option string.
   */
  static String identity(ZoneId zone, String spec, Task task, List<String> optionStrings) {
    List<String> parts = new ArrayList<>();
    parts.add("jasynq-periodic-1");
    parts.add(zone.getId());
    parts.add(spec);
    parts.add(task.type());
    byte[] payload = task.payload();
    parts.add(payload == null ? "-" : "+" + HexFormat.of().formatHex(payload));
    new TreeMap<>(task.headers()).forEach((k, v) -> parts.add(k + "=" + v));
    parts.add("|");
    parts.addAll(optionStrings);
    return sha256(parts).substring(0, 32);
  }

  /** SHA-256 (hex) of the parts, each prefixed by its length so no two lists collide. */
  static String sha256(List<String> parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        byte[] b = p.getBytes(StandardCharsets.UTF_8);
        md.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
        md.update(b);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** About how far apart the ticks are: the delay, or the distance of the next two ticks. */
  private static Duration period(CronSchedule schedule, Instant now) {
    if (schedule.every() != null) {
      return schedule.every();
    }
    Instant a = schedule.next(now);
    Instant b = a == null ? null : schedule.next(a);
    return b == null ? Duration.ofDays(1) : Duration.between(a, b);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}

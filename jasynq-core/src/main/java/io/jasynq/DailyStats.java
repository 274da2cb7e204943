package io.jasynq;

import java.time.LocalDate;
import java.util.List;

/**
 * A queue's counters for one UTC day, from the daily keys the servers write (kept 90 days). A
 * counter key that is not a string holding a number counts 0 and has a problem.
 *
 * @param queue the queue
 * @param date the UTC day
 * @param processed tasks processed (succeeded or failed) that day
 * @param failed tasks failed that day
 * @param problems what is wrong with the day's counter keys, one line each (empty when nothing is);
 *     unmodifiable; since 0.2
 * @since 0.1
 */
public record DailyStats(
    String queue, LocalDate date, long processed, long failed, List<String> problems) {
  /** Copies the problems. */
  public DailyStats {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** A day without problems (the 0.1 constructor). */
  public DailyStats(String queue, LocalDate date, long processed, long failed) {
    this(queue, date, processed, failed, List.of());
  }
}

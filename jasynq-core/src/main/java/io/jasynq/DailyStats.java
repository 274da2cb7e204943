package io.jasynq;

import java.time.LocalDate;

/**
 * A queue's counters for one UTC day, from the daily keys the servers write (kept 90 days).
 *
 * @param queue the queue
 * @param date the UTC day
 * @param processed tasks processed (succeeded or failed) that day
 * @param failed tasks failed that day
 * @since 0.1
 */
public record DailyStats(String queue, LocalDate date, long processed, long failed) {}

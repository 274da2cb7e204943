package io.jasynq.prometheus;

import io.jasynq.QueueInfo;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a scrape serves: the last good stats of each queue, by name (sorted), and the refresher's
 * own health. Immutable.
 *
 * @param queues the last good {@link QueueInfo} of each registered queue, sorted by name
 * @param refreshErrors failed reads since the exporter started
 * @param lastRefresh when a refresh last read every queue without error; null before the first
 */
record Snapshot(Map<String, QueueInfo> queues, long refreshErrors, @Nullable Instant lastRefresh) {
  /** Before the first refresh. */
  static final Snapshot EMPTY = new Snapshot(Map.of(), 0, null);

  Snapshot {
    queues = Collections.unmodifiableMap(new TreeMap<>(queues));
  }
}

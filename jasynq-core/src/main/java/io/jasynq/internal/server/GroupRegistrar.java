package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.broker.RedisNodes;
import io.jasynq.internal.broker.RedisNodes.ScanPage;
import io.jasynq.internal.runtime.PeriodicPart;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers groups that hold tasks but are missing from their queue's group registry, so that an
 * aggregator (this server's, another jasynq server's or a Go server's) sees them. Go Asynq's
 * forwarder and its reclaim of stale aggregation sets put tasks into a group without registering
 * it, and its aggregation check unregisters a group whose last tasks it takes (wire-format §3.15,
 * §3.23, §9.3): tasks moved in after that would wait for good, invisible to every reader.
 *
 * <p>Each pass walks on through the keys {@code asynq:{Q}:g:*} of type zset of each queue with a
 * SCAN (on Cluster, on the master owning the queue's slot), at most {@value #MAX_STEPS} steps of
 * COUNT {@value #SCAN_COUNT} per queue, keeping its cursor between passes: a node with N keys is
 * covered in about N / {@value #KEYS_PER_PASS} passes, so a stranded group is registered within
 * that many intervals. Runs whether or not this server aggregates: registering is cheap and makes
 * the group visible to whichever aggregator serves the queue. Runs on its own runner thread.
 */
final class GroupRegistrar implements PeriodicPart {
  /** The time between passes. */
  static final Duration INTERVAL = Duration.ofSeconds(10);

  /** The COUNT of each SCAN step: keys looked at per step, roughly. */
  static final int SCAN_COUNT = 1000;

  /** SCAN steps per queue per pass, so a huge keyspace is covered over several passes. */
  static final int MAX_STEPS = 10;

  /** Keys looked at per queue per pass, roughly. */
  static final int KEYS_PER_PASS = SCAN_COUNT * MAX_STEPS;

  private static final Logger log = LoggerFactory.getLogger(GroupRegistrar.class);

  // Immutable after construction.
  private final Broker broker;
  private final RedisNodes nodes;
  private final List<String> queues;
  // Confined to the runner thread: each queue's SCAN cursor, absent when a sweep is to start.
  private final Map<String, String> cursors = new HashMap<>();

  GroupRegistrar(Broker broker, RedisNodes nodes, List<String> queues) {
    this.broker = broker;
    this.nodes = nodes;
    this.queues = queues;
  }

  @Override
  public String name() {
    return "group registrar";
  }

  @Override
  public void runOnce(Instant now) {
    for (String queue : queues) {
      String cursor = cursors.getOrDefault(queue, ScanPage.START);
      for (int step = 0; step < MAX_STEPS; step++) {
        ScanPage page =
            nodes.scan("registerGroups", Keys.groupPrefix(queue), "zset", cursor, SCAN_COUNT);
        register(queue, page.keys());
        cursor = page.cursor();
        cursors.put(queue, cursor);
        if (page.isDone()) {
          break; // a full sweep; the next pass starts another
        }
      }
    }
  }

  /** For tests: where the next pass goes on in {@code queue}'s sweep. */
  String cursor(String queue) {
    return cursors.getOrDefault(queue, ScanPage.START);
  }

  private void register(String queue, List<String> groupKeys) {
    Map<String, Long> registered =
        broker.await(broker.groups().registerGroups(queue, new LinkedHashSet<>(groupKeys)));
    registered.forEach(
        (group, size) ->
            log.warn(
                "group \"{}\" of queue \"{}\" held {} tasks but was not registered (moved in by a"
                    + " Go Asynq forwarder or reclaim); registered it so that it is aggregated",
                group,
                queue,
                size));
  }
}

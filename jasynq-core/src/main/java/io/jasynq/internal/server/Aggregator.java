package io.jasynq.internal.server;

import io.jasynq.GroupAggregator;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.internal.broker.AggregationSet;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.EnqueueOutcome;
import io.jasynq.internal.broker.EnqueueRequest;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.internal.enqueue.EnqueueRequests;
import io.jasynq.internal.runtime.PeriodicPart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each ready group of the server's queues into one task (wire-format §4.9): the group's
 * oldest tasks are moved into an aggregation set, the {@link GroupAggregator} makes one task of
 * them, that task is enqueued to the group's queue, and the set and its tasks are deleted. If the
 * aggregator or the enqueue fails, the set stays; the recoverer gives its tasks back to the group
 * after the set's deadline. A member that cannot be decoded is archived instead of blocking its
 * group (unlike Asynq, wire-format §9.7).
 */
final class Aggregator implements PeriodicPart {
  /** Passes run at least this often (wire-format §4.1: every min(7 s, grace period)). */
  static final Duration MAX_INTERVAL = Duration.ofSeconds(7);

  /** Sets one group may give per pass, so one huge group cannot hold the runner thread. */
  static final int MAX_SETS_PER_GROUP = 100;

  private static final Logger log = LoggerFactory.getLogger(Aggregator.class);

  // Immutable after construction; runOnce runs on the runner's thread.
  private final Broker broker;
  private final List<String> queues;
  private final GroupAggregator aggregator;
  private final Duration gracePeriod;
  private final Duration maxDelay;
  private final int maxSize;
  private final Clock clock;

  Aggregator(Broker broker, List<String> queues, ServerConfig config) {
    this.broker = broker;
    this.queues = queues;
    this.aggregator = config.groupAggregator();
    this.gracePeriod = config.groupGracePeriod();
    this.maxDelay = config.groupMaxDelay();
    this.maxSize = config.groupMaxSize();
    this.clock = config.clock();
  }

  /** The interval between passes for {@code config}. */
  static Duration interval(ServerConfig config) {
    Duration grace = config.groupGracePeriod();
    return grace.compareTo(MAX_INTERVAL) < 0 ? grace : MAX_INTERVAL;
  }

  @Override
  public String name() {
    return "aggregator";
  }

  @Override
  public void runOnce(Instant now) {
    for (String queue : queues) {
      for (String group : broker.await(broker.groups().listGroups(queue))) {
        for (int i = 0; i < MAX_SETS_PER_GROUP; i++) {
          String setKey =
              broker.await(
                  broker
                      .groups()
                      .aggregationCheck(queue, group, now, gracePeriod, maxDelay, maxSize));
          if (setKey == null || !aggregate(queue, group, setKey, now)) {
            break;
          }
        }
      }
    }
  }

  /** Aggregates one set; false when it was left for the recoverer. */
  private boolean aggregate(String queue, String group, String setKey, Instant now) {
    AggregationSet set = broker.await(broker.groups().readAggregationSet(setKey));
    if (set == null) {
      return false; // reclaimed meanwhile
    }
    for (AggregationSet.Unreadable u : set.unreadable()) {
      if (!u.dangling()) {
        archive(setKey, u.id(), u.rawMessage(), u.reason(), now);
      } else {
        log.warn("dropping member {} of aggregation set {}: {}", u.id(), setKey, u.reason());
      }
    }
    List<Task> tasks = new ArrayList<>(set.messages().size());
    for (TaskMessage m : set.messages()) {
      try {
        tasks.add(Processor.toTask(m));
      } catch (IllegalArgumentException e) {
        archive(setKey, m.getId(), m.toByteArray(), e.getMessage(), now);
      }
    }
    if (!tasks.isEmpty() && !enqueueAggregate(queue, group, setKey, tasks, set.deadline())) {
      return false;
    }
    broker.await(broker.groups().deleteAggregationSet(queue, setKey));
    return true;
  }

  private boolean enqueueAggregate(
      String queue, String group, String setKey, List<Task> tasks, Instant deadline) {
    EnqueueRequest request;
    try {
      Task aggregated = aggregator.aggregate(group, List.copyOf(tasks));
      if (aggregated == null) {
        throw new NullPointerException("the GroupAggregator returned null");
      }
      Instant at = clock.instant();
      if (!at.isBefore(deadline)) {
        throw new IllegalStateException("aggregating took past the set's deadline " + deadline);
      }
      // The task's own options, then the group's queue: the client's rules, queue forced.
      request =
          EnqueueRequests.prepare(
                  aggregated, new TaskOption[] {TaskOption.queue(queue)}, at, Integer.MAX_VALUE)
              .request();
    } catch (RuntimeException e) {
      log.warn(
          "aggregating group \"{}\" of queue \"{}\" failed; its {} tasks go back to the group"
              + " after {}",
          group,
          queue,
          tasks.size(),
          deadline,
          e);
      return false;
    }
    EnqueueOutcome outcome = broker.await(broker.enqueues().enqueue(request));
    if (outcome != EnqueueOutcome.ENQUEUED) {
      log.warn(
          "the aggregated task of group \"{}\" of queue \"{}\" was not enqueued ({}); its {} tasks"
              + " go back to the group after {}",
          group,
          queue,
          outcome,
          tasks.size(),
          deadline);
      return false;
    }
    log.debug("group \"{}\" of queue \"{}\": {} tasks -> {}", group, queue, tasks.size(), setKey);
    return true;
  }

  private void archive(String setKey, String id, byte[] raw, String reason, Instant now) {
    log.warn("archiving malformed task {} of aggregation set {}: {}", id, setKey, reason);
    broker.await(broker.groups().archiveMalformedMember(setKey, id, raw, reason, now));
  }
}

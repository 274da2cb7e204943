package io.jasynq.internal.server;

import io.jasynq.JasynqException;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskEvent;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.ExpiredLeases;
import io.jasynq.internal.broker.Leased;
import io.jasynq.internal.broker.WrongKeyTypeException;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.internal.runtime.PeriodicPart;
import io.jasynq.internal.runtime.PeriodicRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns tasks whose worker died (lease expired more than 30 s ago) to retry, or archives them
 * when their retries are used up; also gives stale aggregation sets back to their groups. Runs on
 * its runner thread ({@code jasynq-recoverer}).
 *
 * <p>One bad entry never blocks the others (unlike Asynq, wire-format §3.17; issue 10): a message
 * that does not decode or does not match its key is archived as malformed; an entry whose recovery
 * fails is logged and skipped, and archived as malformed once it failed {@link #MAX_ATTEMPTS}
 * passes in a row; a queue whose keys have the wrong type is reported once and skipped until
 * repaired; a queue that fails otherwise does not stop the next one (the pass then fails, and the
 * {@link PeriodicRunner} reports it).
 */
final class Recoverer implements PeriodicPart {
  /** Clock skew allowed between servers sharing a Redis. */
  static final Duration SKEW = Duration.ofSeconds(30);

  static final String LEASE_EXPIRED = "asynq: task lease expired";

  /** Passes in a row an entry may fail before it is archived as malformed. */
  static final int MAX_ATTEMPTS = 3;

  private static final Logger log = LoggerFactory.getLogger(Recoverer.class);

  // Immutable after construction.
  private final Broker broker;
  private final List<String> queues;
  private final ServerConfig config;
  private final Supplier<Set<String>> ownActive;
  private final Listeners listeners;

  // Confined to the runner thread.
  private final Isolations isolations = new Isolations(log, "recoverer");
  private Map<String, Integer> failures = new HashMap<>(); // "<queue> <id>" -> passes failed

  Recoverer(
      Broker broker,
      List<String> queues,
      ServerConfig config,
      Supplier<Set<String>> ownActive,
      Listeners listeners) {
    this.broker = broker;
    this.listeners = listeners;
    this.queues = queues;
    this.config = config;
    this.ownActive = ownActive;
  }

  @Override
  public String name() {
    return "recoverer";
  }

  @Override
  public void runOnce(Instant now) {
    Map<String, Integer> failedNow = new HashMap<>();
    RuntimeException first = null;
    for (String queue : queues) {
      for (Runnable step :
          List.<Runnable>of(
              () -> broker.await(broker.groups().reclaimStaleAggregationSets(queue, now)),
              () -> recoverQueue(queue, now, failedNow))) {
        try {
          step.run();
        } catch (WrongKeyTypeException e) {
          isolations.failing("queue \"" + queue + "\"", e.reason());
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else if (first != e) {
            first.addSuppressed(e);
          }
        }
      }
    }
    failures = failedNow; // an entry that did not fail this pass starts again from zero
    if (first != null) {
      throw first;
    }
  }

  private void recoverQueue(String queue, Instant now, Map<String, Integer> failedNow) {
    ExpiredLeases expired = broker.await(broker.tasks().listLeaseExpired(queue, now.minus(SKEW)));
    isolations.working("queue \"" + queue + "\"");
    isolations.report(expired.isolated());
    Set<String> ours = expired.leased().isEmpty() ? Set.of() : ownActive.get();
    for (Leased leased : expired.leased()) {
      if (ours.contains(leased.id())) {
        continue; // ours and still running: the heartbeater decides about its lease
      }
      try {
        recover(leased, now);
      } catch (RuntimeException e) {
        if (broker.connectionGone(e)) {
          throw e;
        }
        failed(leased, e, now, failedNow);
      }
    }
  }

  /** One entry could not be recovered: log it, and archive it once it failed too often. */
  private void failed(
      Leased leased, RuntimeException e, Instant now, Map<String, Integer> failedNow) {
    String key = leased.queue() + " " + leased.id();
    int attempts = failures.getOrDefault(key, 0) + 1;
    if (attempts < MAX_ATTEMPTS) {
      failedNow.put(key, attempts);
      log.warn(
          "could not recover task {} in queue \"{}\" (pass {} of {}; skipped for now): {}",
          leased.id(),
          leased.queue(),
          attempts,
          MAX_ATTEMPTS,
          e.toString());
      return;
    }
    String reason = "recovery failed " + attempts + " times: " + e.getMessage();
    log.warn(
        "archiving task {} in queue \"{}\" as malformed: {}", leased.id(), leased.queue(), reason);
    try {
      broker.await(
          broker
              .outcomes()
              .archiveMalformed(leased.queue(), leased.id(), leased.rawMessage(), reason, now));
      tell(leased, null, TaskEvent.Outcome.ARCHIVED, reason, false);
    } catch (RuntimeException again) {
      failedNow.put(key, attempts);
      log.warn(
          "could not archive task {} in queue \"{}\" either; it stays where it is: {}",
          leased.id(),
          leased.queue(),
          again.toString());
    }
  }

  private void recover(Leased leased, Instant now) {
    TaskMessage m = leased.message();
    if (m == null) {
      log.warn(
          "archiving malformed task {} in queue \"{}\": {}",
          leased.id(),
          leased.queue(),
          leased.decodeError());
      broker.await(
          broker
              .outcomes()
              .archiveMalformed(
                  leased.queue(), leased.id(), leased.rawMessage(), leased.decodeError(), now));
      tell(
          leased,
          null,
          TaskEvent.Outcome.ARCHIVED,
          "malformed task: " + leased.decodeError(),
          false);
      return;
    }
    log.info(
        "recovering task {} in queue \"{}\": its worker's lease expired", m.getId(), m.getQueue());
    if (m.getRetried() >= m.getRetry()) {
      broker.await(broker.outcomes().archive(m, now, LEASE_EXPIRED));
      Task task = null;
      try {
        task = Processor.toTask(m);
      } catch (IllegalArgumentException e) {
        // archived all the same; the event carries no task
      }
      tell(leased, task, TaskEvent.Outcome.ARCHIVED, LEASE_EXPIRED, true);
      return;
    }
    Task task;
    try {
      task = Processor.toTask(m);
    } catch (IllegalArgumentException e) {
      broker.await(broker.outcomes().archive(m, now, "malformed task: " + e.getMessage()));
      tell(leased, null, TaskEvent.Outcome.ARCHIVED, "malformed task: " + e.getMessage(), false);
      return;
    }
    Cancellation error = new Cancellation(Cancellation.Kind.LEASE_EXPIRED);
    Duration delay = config.retryDelay().delay(m.getRetried(), error, task);
    broker.await(
        broker
            .outcomes()
            .retry(m, now, now.plus(delay), LEASE_EXPIRED, config.isFailure().test(error)));
    tell(leased, task, TaskEvent.Outcome.RETRY, LEASE_EXPIRED, true);
  }

  /** Tells the listeners of a recovered (and maybe archived) task. */
  private void tell(
      Leased leased, Task task, TaskEvent.Outcome outcome, String why, boolean recovered) {
    if (!listeners.any()) {
      return;
    }
    Event e =
        Event.of(
            leased.queue(), leased.id(), leased.message(), task, outcome, new JasynqException(why));
    if (recovered) {
      listeners.recovered(e);
    }
    if (outcome == TaskEvent.Outcome.ARCHIVED) {
      listeners.archived(e);
    }
  }
}

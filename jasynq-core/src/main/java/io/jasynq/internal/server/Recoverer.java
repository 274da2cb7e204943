package io.jasynq.internal.server;

import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Leased;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns tasks whose worker died (lease expired more than 30 s ago) to retry, or archives them
 * when their retries are used up. A task whose message cannot be decoded is archived with the
 * reason instead of blocking recovery for the whole queue (unlike Asynq, spec §3.17).
 */
final class Recoverer implements ServerPart {
  /** Clock skew allowed between servers sharing a Redis. */
  static final Duration SKEW = Duration.ofSeconds(30);

  static final String LEASE_EXPIRED = "asynq: task lease expired";

  private static final Logger log = LoggerFactory.getLogger(Recoverer.class);

  private final Broker broker;
  private final List<String> queues;
  private final ServerConfig config;
  private final Supplier<Set<String>> ownActive;

  Recoverer(
      Broker broker, List<String> queues, ServerConfig config, Supplier<Set<String>> ownActive) {
    this.broker = broker;
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
    Instant cutoff = now.minus(SKEW);
    for (String queue : queues) {
      broker.await(broker.reclaimStaleAggregationSets(queue, now));
      List<Leased> expired = broker.await(broker.listLeaseExpired(queue, cutoff));
      Set<String> ours = expired.isEmpty() ? Set.of() : ownActive.get();
      for (Leased leased : expired) {
        if (ours.contains(leased.id())) {
          continue; // ours and still running: the heartbeater decides about its lease
        }
        recover(leased, now);
      }
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
          broker.archiveMalformed(
              leased.queue(), leased.id(), leased.rawMessage(), leased.decodeError(), now));
      return;
    }
    log.info(
        "recovering task {} in queue \"{}\": its worker's lease expired", m.getId(), m.getQueue());
    if (m.getRetried() >= m.getRetry()) {
      broker.await(broker.archive(m, now, LEASE_EXPIRED));
      return;
    }
    Cancellation error = new Cancellation(Cancellation.Kind.LEASE_EXPIRED);
    Task task;
    try {
      task = Processor.toTask(m);
    } catch (IllegalArgumentException e) {
      broker.await(broker.archive(m, now, "malformed task: " + e.getMessage()));
      return;
    }
    Duration delay = config.retryDelay().delay(m.getRetried(), error, task);
    broker.await(
        broker.retry(m, now, now.plus(delay), LEASE_EXPIRED, config.isFailure().test(error)));
  }
}

package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Forwarded;
import io.jasynq.internal.broker.Isolated;
import io.jasynq.internal.runtime.PeriodicPart;
import io.jasynq.internal.runtime.PeriodicRunner;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves due scheduled and retry tasks to pending (or back into their group), per queue. Runs on its
 * runner thread ({@code jasynq-forwarder}). One bad record or queue never stops the others (issue
 * 10): records the script set aside are logged at WARN; a queue whose keys have the wrong type, and
 * a task left in place because its group key has the wrong type, are reported once until repaired;
 * a queue that fails otherwise does not stop the next one (the pass then fails, and the {@link
 * PeriodicRunner} reports it).
 */
final class Forwarder implements PeriodicPart {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  // Immutable after construction.
  private final Broker broker;
  private final List<String> queues;
  private final Runnable onForwarded;
  private final Listeners listeners;

  // Confined to the runner thread.
  private final Isolations isolations = new Isolations(log, "forwarder");
  private Set<String> keptLastPass = new HashSet<>();

  Forwarder(Broker broker, List<String> queues, Runnable onForwarded, Listeners listeners) {
    this.broker = broker;
    this.listeners = listeners;
    this.queues = queues;
    this.onForwarded = onForwarded;
  }

  @Override
  public String name() {
    return "forwarder";
  }

  @Override
  public void runOnce(Instant now) {
    int moved = 0;
    RuntimeException first = null;
    Set<String> kept = new HashSet<>();
    for (String queue : queues) {
      Forwarded f;
      try {
        f = broker.await(broker.tasks().forward(queue, now));
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
        continue;
      }
      moved += f.moved();
      if (f.moved() > 0) {
        listeners.forwarded(queue, f.moved());
      }
      isolations.report(f.isolated());
      isolations.report(f.dropped());
      for (Isolated k : f.kept()) {
        String key = "task " + k.id() + " in queue \"" + queue + "\"";
        kept.add(key);
        isolations.failing(key, k.reason());
      }
      String queueKey = "queue \"" + queue + "\"";
      if (f.unusable().isEmpty()) {
        isolations.working(queueKey);
      } else {
        isolations.failing(
            queueKey, String.join("; ", new java.util.LinkedHashSet<>(f.unusable())));
      }
    }
    keptLastPass.removeAll(kept);
    keptLastPass.forEach(isolations::working); // forwarded, or gone, since
    keptLastPass = kept;
    if (moved > 0) {
      onForwarded.run(); // idle workers need not wait for their next poll
    }
    if (first != null) {
      throw first;
    }
  }
}

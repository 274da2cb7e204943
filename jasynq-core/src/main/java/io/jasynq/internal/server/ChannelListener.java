package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.connection.Listening;
import io.jasynq.internal.connection.Subscription;
import io.jasynq.internal.runtime.PeriodicPart;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens, on a connection of its own, to {@code asynq:cancel} (task IDs that Inspectors, Go's
 * included, ask to cancel) and to {@code jasynq:pending} (a queue of ours just got work: wake the
 * idle fetch loop instead of waiting for its next poll). The connection is also the target of the
 * {@link KeyWatch}'s key tracking: invalidations of the pending lists (a Go producer's task, which
 * publishes nothing) wake the loop too. Until the subscription succeeds, and after a reconnect gave
 * its connection a new ID, each pass subscribes again (every 5 s, as Asynq).
 */
final class ChannelListener implements PeriodicPart {
  private static final Logger log = LoggerFactory.getLogger(ChannelListener.class);

  private final Broker broker;
  private final Processor processor;
  private final Set<String> pendingKeys;
  private volatile Subscription subscription; // written by the runner thread
  private boolean unsupportedLogged; // confined to the runner thread

  ChannelListener(Broker broker, Processor processor, Iterable<String> queues) {
    this.broker = broker;
    this.processor = processor;
    this.pendingKeys =
        java.util.stream.StreamSupport.stream(queues.spliterator(), false)
            .map(Keys::pending)
            .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public String name() {
    return "channel listener";
  }

  @Override
  public void runOnce(Instant now) {
    Subscription current = subscription;
    if (current != null) {
      if (!current.lostTrackingTarget()) {
        return;
      }
      // Lettuce reconnected and subscribed again: the connection has a new ID, which key tracking
      // must be redirected to. Start afresh.
      log.debug("the subscription reconnected; subscribing again for key tracking");
      subscription = null;
      current.release();
    }
    Subscription s =
        broker
            .servers()
            .subscribe(
                new Listening(
                    Map.of(
                        Keys.cancelChannel(),
                            id -> {
                              if (processor.cancel(id, Cancellation.Kind.CANCELLED)) {
                                log.info("cancelled task {} on request", id);
                              }
                            },
                        Keys.pendingChannel(),
                            pendingKey -> {
                              if (pendingKeys.contains(pendingKey)) {
                                processor.wakeUp();
                              }
                            }),
                    List.copyOf(pendingKeys),
                    processor::wakeUp));
    if (s == null && !unsupportedLogged) {
      unsupportedLogged = true;
      log.debug("built on one borrowed connection: no cancellation requests or wake-ups");
    }
    subscription = s;
    processor.keyWatch().target(s);
  }

  /** Unsubscribes; idempotent. */
  void close() {
    Subscription s = subscription;
    if (s != null) {
      s.release();
    }
  }
}

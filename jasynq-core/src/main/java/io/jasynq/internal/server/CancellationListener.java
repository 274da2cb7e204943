package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Subscription;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels running tasks on request: subscribes to {@code asynq:cancel} (where Inspectors, Go's
 * included, publish task IDs) on a connection of its own. Until the subscription succeeds each pass
 * tries again (every 5 s, as Asynq).
 */
final class CancellationListener implements ServerPart {
  private static final Logger log = LoggerFactory.getLogger(CancellationListener.class);

  private final Broker broker;
  private final Processor processor;
  private volatile Subscription subscription; // written by the runner thread
  private boolean unsupportedLogged; // confined to the runner thread

  CancellationListener(Broker broker, Processor processor) {
    this.broker = broker;
    this.processor = processor;
  }

  @Override
  public String name() {
    return "cancellation listener";
  }

  @Override
  public void runOnce(Instant now) {
    if (subscription != null) {
      return;
    }
    Subscription s =
        broker.subscribeCancellations(
            id -> {
              if (processor.cancel(id, Cancellation.Kind.CANCELLED)) {
                log.info("cancelled task {} on request", id);
              }
            });
    if (s == null && !unsupportedLogged) {
      unsupportedLogged = true;
      log.debug("built on one borrowed connection: cancellation requests cannot be received");
    }
    subscription = s;
  }

  boolean subscribed() {
    return subscription != null;
  }

  /** Unsubscribes; idempotent. */
  void close() {
    Subscription s = subscription;
    if (s != null) {
      s.release();
    }
  }
}

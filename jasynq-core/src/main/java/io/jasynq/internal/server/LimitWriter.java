package io.jasynq.internal.server;

import io.jasynq.RateLimit;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.runtime.PeriodicPart;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the server's configured concurrency and rate limits to Redis, once: at start, before the
 * first dequeue; if Redis refuses or cannot be reached then, again on each pass until it works. A
 * limit stored before with another value (set at run time, or by a server configured otherwise) is
 * replaced, and the replacement logged.
 */
final class LimitWriter implements PeriodicPart {
  private static final Logger log = LoggerFactory.getLogger(LimitWriter.class);

  private final Broker broker;
  private final Map<String, Integer> limits;
  private final Map<String, RateLimit> rates;
  private volatile boolean written;

  LimitWriter(Broker broker, Map<String, Integer> limits, Map<String, RateLimit> rates) {
    this.broker = broker;
    this.limits = Map.copyOf(limits);
    this.rates = Map.copyOf(rates);
  }

  @Override
  public String name() {
    return "limits";
  }

  /** Whether every limit has been written. */
  boolean written() {
    return written;
  }

  @Override
  public void runOnce(Instant now) {
    if (written) {
      return;
    }
    for (Map.Entry<String, Integer> e : limits.entrySet()) {
      String limit = Integer.toString(e.getValue());
      String before = broker.await(broker.limits().setConcurrency(e.getKey(), e.getValue()));
      if (before != null && !before.equals(limit)) {
        log.info(
            "queue \"{}\": concurrency limit {} replaced by this server's configured {}",
            e.getKey(),
            before,
            limit);
      }
    }
    for (Map.Entry<String, RateLimit> e : rates.entrySet()) {
      RateLimit before = broker.await(broker.limits().setRate(e.getKey(), e.getValue()));
      if (before != null && !before.equals(e.getValue())) {
        log.info(
            "queue \"{}\": rate limit {} replaced by this server's configured {}",
            e.getKey(),
            before,
            e.getValue());
      }
    }
    written = true;
  }
}

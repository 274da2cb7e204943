package io.jasynq.internal.server;

import io.jasynq.Handler;
import io.jasynq.Middleware;
import io.jasynq.ServerConfig;
import io.jasynq.ServerStatus;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.RedisNodes;
import io.jasynq.internal.runtime.PeriodicPart;
import io.jasynq.internal.runtime.PeriodicRunner;
import io.jasynq.internal.runtime.ProcessIdentity;
import io.jasynq.internal.runtime.ThreadFactoryBuilder;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started server: its identity, its threads and its parts, wired in Asynq's start order and
 * stopped in its shutdown order (senders before receivers; the heartbeater last, clearing the
 * server's state). Created by {@code Server.start}; the Server owns the broker.
 */
public final class ServerRuntime {
  private static final Logger log = LoggerFactory.getLogger(ServerRuntime.class);

  /**
   * How long stopping waits for a part's pass under way before interrupting it, while Redis is
   * reachable; while it is not, a pass can only be waiting for Redis and is interrupted at once.
   */
  private static final Duration PART_STOP_TIMEOUT = Duration.ofSeconds(2);

  /**
   * How long the shutdown waits for Redis to clear the server's state, its last write. While Redis
   * is unreachable it does not try: the state expires by itself (see {@link Heartbeater#ttl()}).
   */
  static final Duration CLEAR_TIMEOUT = Duration.ofSeconds(2);

  private final Broker broker;
  private final ServerConfig config;
  private final Clock clock;
  private final ProcessIdentity identity = ProcessIdentity.current();
  private final PeriodicRunner runner;
  private final Processor processor;
  private final Heartbeater heartbeater;
  private final Forwarder forwarder;
  private final Recoverer recoverer;
  private final Janitor janitor;
  private final GroupRegistrar groupRegistrar;
  private final Aggregator aggregator; // null without a GroupAggregator
  private final HealthChecker healthChecker;
  private final ChannelListener channels;
  private final LimitWriter limits;
  private final Listeners listeners;

  public ServerRuntime(
      Broker broker, ServerConfig config, Handler handler, Supplier<String> status) {
    this.broker = broker;
    this.config = config;
    this.clock = config.clock();
    ThreadFactoryBuilder threads = new ThreadFactoryBuilder(identity.tag());
    QueueSelector selector =
        new QueueSelector(config.queues(), config.strictPriority(), new SecureRandom());
    List<String> queues = selector.queues();
    this.listeners = new Listeners(config.listeners(), config.healthListener());
    this.runner = new PeriodicRunner(clock, threads, broker::connectionGone, listeners::redisError);
    this.processor =
        new Processor(
            broker,
            config,
            withMiddleware(handler, config),
            selector,
            runner.timer(),
            threads,
            listeners);
    this.heartbeater =
        new Heartbeater(broker, identity, config, processor, status, clock.instant());
    this.forwarder = new Forwarder(broker, queues, processor::wakeUp, listeners);
    Supplier<Set<String>> ownActive =
        () -> processor.active().stream().map(ActiveTask::taskId).collect(Collectors.toSet());
    this.recoverer = new Recoverer(broker, queues, config, ownActive, listeners);
    this.janitor = new Janitor(broker, queues, config.janitorBatchSize());
    this.groupRegistrar = new GroupRegistrar(broker, new RedisNodes(broker), queues);
    this.aggregator =
        config.groupAggregator() == null ? null : new Aggregator(broker, queues, config);
    this.channels = new ChannelListener(broker, processor, queues);
    this.limits = new LimitWriter(broker, config.concurrencyLimits(), config.rateLimits());
    this.healthChecker =
        !listeners.wantHealth()
            ? null
            : new HealthChecker(
                broker,
                listeners,
                max(
                    Duration.ofSeconds(1),
                    min(config.healthCheckInterval(), Duration.ofSeconds(5))),
                runner);
  }

  /** Starts the parts in Asynq's order, then the processor. */
  public void start() {
    runner.schedule(heartbeater, Duration.ZERO, config.heartbeatInterval());
    if (healthChecker != null) {
      runner.schedule(healthChecker, Duration.ZERO, config.healthCheckInterval());
      broker.watchReachability(healthChecker);
    }
    // Subscribe before start() returns. A subscription still connecting in the background could
    // race with the caller closing its client, connector or event loops right after start() (Netty
    // then logs "event executor terminated" at ERROR). If it fails, the periodic pass retries.
    try {
      channels.runOnce(clock.instant());
    } catch (RuntimeException e) {
      log.debug("subscribing failed; the channel listener retries every 5 s", e);
    }
    runner.schedule(channels, Duration.ofSeconds(5), Duration.ofSeconds(5));
    runner.schedule(recoverer, Duration.ZERO, config.recovererInterval());
    runner.schedule(forwarder, Duration.ZERO, config.delayedTaskCheckInterval());
    if (!config.concurrencyLimits().isEmpty() || !config.rateLimits().isEmpty()) {
      // Before the first dequeue, so a fresh fleet never starts above its limits.
      try {
        limits.runOnce(clock.instant());
      } catch (RuntimeException e) {
        log.warn("could not write the queue limits; retrying every 5 s: {}", e.toString());
        runner.schedule(limits, Duration.ofSeconds(5), Duration.ofSeconds(5));
      }
    }
    processor.start();
    runner.schedule(janitor, config.janitorInterval(), config.janitorInterval());
    runner.schedule(groupRegistrar, Duration.ZERO, GroupRegistrar.INTERVAL);
    if (aggregator != null) {
      Duration tick = Aggregator.interval(config);
      runner.schedule(aggregator, tick, tick);
    }
    log.info("server {} started: {}", identity.id(), config);
    listeners.status(identity.id(), ServerStatus.ACTIVE);
  }

  public void stopFetching() {
    processor.stopFetching();
    runner.runNow(heartbeater); // show "stopped" at once
    listeners.status(identity.id(), ServerStatus.STOPPED);
  }

  /** The handler with the config's middleware around it, the first added outermost. */
  static Handler withMiddleware(Handler handler, ServerConfig config) {
    Handler h = handler;
    List<Middleware> chain = config.middleware();
    for (int i = chain.size() - 1; i >= 0; i--) {
      h = java.util.Objects.requireNonNull(chain.get(i).wrap(h), "middleware returned null");
    }
    return h;
  }

  /**
   * Stops everything in order; never throws. With Redis unreachable it does not wait for Redis: it
   * takes the shutdown timeout at most (for handlers still running) plus about a second, and logs
   * one WARN naming what it could not clean up (see {@link #shutdownWrites}).
   */
  public void shutdown() {
    long begin = System.nanoTime();
    listeners.status(identity.id(), ServerStatus.CLOSED);
    runner.cancel(forwarder, partStopTimeout());
    int unrecorded = processor.shutdown(config.shutdownTimeout());
    if (healthChecker != null) {
      broker.watchReachability(null);
    }
    List<PeriodicPart> receivers = new ArrayList<>();
    receivers.add(recoverer);
    receivers.add(channels);
    receivers.add(janitor);
    receivers.add(groupRegistrar);
    if (aggregator != null) {
      receivers.add(aggregator);
    }
    if (healthChecker != null) {
      receivers.add(healthChecker);
    }
    runner.cancelAll(receivers, partStopTimeout());
    runner.cancel(heartbeater, partStopTimeout()); // last: it kept the leases of running tasks
    runner.shutdown(Duration.ofSeconds(5));
    channels.close();
    shutdownWrites(unrecorded);
    log.info(
        "server {} shut down in {} ms",
        identity.id(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
  }

  /**
   * Clears the server's state in Redis (unless Redis is unreachable), then says at INFO if that or
   * any of the {@code unrecorded} task outcomes could not be written. Neither needs cleaning up by
   * anyone: the state expires with its TTL, and a task whose outcome is missing is still leased and
   * is retried by a recoverer once the lease runs out.
   */
  private void shutdownWrites(int unrecorded) {
    String notCleared = null;
    if (broker.connectionGone(null)) {
      log.debug("not clearing server state: the Redis connection is closed");
    } else if (!broker.isConnected()) {
      notCleared = "Redis is unreachable";
    } else {
      // A shutdown run on a handler's own thread (a handler that closed its server) finds that
      // thread interrupted by its task's cancellation: set it aside, or the clear gives up at once.
      boolean interrupted = Thread.interrupted();
      try {
        heartbeater.clear(CLEAR_TIMEOUT);
      } catch (RuntimeException e) {
        if (broker.connectionGone(e)) {
          log.debug("clearing server state failed: the Redis connection is closed", e);
        } else {
          notCleared = e.getMessage();
          log.debug("clearing server state failed", e);
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (notCleared == null && unrecorded == 0) {
      return;
    }
    // INFO, not WARN: close() stays quiet (closing in any order is supported), nothing is lost,
    // and an outage shows in Lettuce's own reconnect warnings; the operator still learns why
    // these tasks come back late.
    log.info(
        "server {} shut down without cleaning up in Redis ({}): {}{}",
        identity.id(),
        notCleared != null ? notCleared : "Redis did not answer",
        unrecorded == 0
            ? ""
            : unrecorded
                + " task(s) left active, recovered once their lease expires (within "
                + Processor.LEASE.toSeconds()
                + " s); ",
        notCleared == null
            ? "server state cleared"
            : "its server state expires within " + heartbeater.ttl().toMillis() + " ms");
  }

  private Duration partStopTimeout() {
    return broker.isConnected() ? PART_STOP_TIMEOUT : Duration.ZERO;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  public ProcessIdentity identity() {
    return identity;
  }

  /** For tests: the processor. */
  Processor processor() {
    return processor;
  }
}

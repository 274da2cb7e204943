package io.jasynq.spring.boot;

import io.jasynq.Server;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the auto-configured {@link Server} with the context's routes and shuts it down when the
 * context closes.
 *
 * <p><b>Phase</b> {@link #PHASE} ({@code Integer.MAX_VALUE - 4096}): Spring starts lifecycles from
 * the lowest phase and stops them from the highest. Spring Data Redis's {@code
 * LettuceConnectionFactory} runs in phase 0, so the server starts after the application's Redis
 * connections and stops before them: handlers that use the application's {@code RedisTemplate}
 * finish, or are requeued, while it still works. The web server's graceful shutdown ({@code
 * MAX_VALUE - 1024}) and stop ({@code MAX_VALUE - 2048}) run first, so requests that enqueue are
 * done before workers stop. jasynq's own connections and Boot's Lettuce {@code ClientResources} go
 * later still, when the beans are destroyed (the server and client before the connector, the
 * connector before the resources).
 *
 * <p><b>Stop</b> runs {@link Server#shutdown()} on a short-lived {@code jasynq-spring-stop} thread:
 * stop fetching, give running handlers {@code jasynq.server.shutdown-timeout} (default 8 s),
 * interrupt and requeue what still runs. Spring waits for it at most {@code
 * spring.lifecycle.timeout-per-shutdown-phase} (default 30 s): keep the shutdown timeout below it,
 * or Spring moves on while tasks are still being requeued (a warning is logged at start when it is
 * not). A stopped server cannot start again: restart the context.
 *
 * <p>When {@code jasynq.server.enabled} is unset the server starts only if the context has at least
 * one route. Thread-safe.
 *
 * @since 0.1
 */
public final class JasynqServerLifecycle extends JasynqLifecycle {
  /** The lifecycle phase: {@code Integer.MAX_VALUE - 4096}; see the class comment. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger log = LoggerFactory.getLogger(JasynqServerLifecycle.class);

  private final Server server;
  private final TaskHandlerRegistry registry;
  private final @Nullable Boolean enabled;
  private final Duration shutdownTimeout;
  private final Duration phaseTimeout;

  JasynqServerLifecycle(
      Server server,
      TaskHandlerRegistry registry,
      @Nullable Boolean enabled,
      Duration shutdownTimeout,
      Duration phaseTimeout) {
    super("server", "jasynq-spring-stop");
    this.server = server;
    this.registry = registry;
    this.enabled = enabled;
    this.shutdownTimeout = shutdownTimeout;
    this.phaseTimeout = phaseTimeout;
  }

  @Override
  boolean startRunning() {
    if (enabled == null && registry.isEmpty()) {
      log.info("jasynq server not started: no @TaskHandler or PatternHandler beans");
      return false;
    }
    if (shutdownTimeout.compareTo(phaseTimeout) >= 0) {
      log.warn(
          "jasynq.server.shutdown-timeout {} is not below"
              + " spring.lifecycle.timeout-per-shutdown-phase {}: Spring may stop waiting while"
              + " tasks are still being requeued",
          shutdownTimeout,
          phaseTimeout);
    }
    server.start(registry.mux());
    log.info(
        "jasynq server {} started, routes {}", server.serverId(), registry.patterns().keySet());
    return true;
  }

  @Override
  void stopRunning() {
    server.shutdown();
  }

  /** The server this lifecycle drives. */
  public Server server() {
    return server;
  }

  @Override
  public String toString() {
    return describe(server);
  }
}

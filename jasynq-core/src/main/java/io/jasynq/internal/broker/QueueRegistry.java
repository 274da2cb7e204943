package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Failures.unwrap;

import io.lettuce.core.RedisException;
import io.lettuce.core.protocol.AsyncCommand;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers queues in {@code asynq:queues} before their tasks are written (wire-format §3.1: a
 * separate SADD). The SADD is repeated at most once a second per queue: often enough that a queue
 * deleted by an Inspector reappears with its next task (Go Asynq's per-client cache never re-adds
 * it, wire-format §9.10), rarely enough to cost nothing at high rates. Thread-safe.
 */
final class QueueRegistry {
  private static final Logger log = LoggerFactory.getLogger(QueueRegistry.class);
  private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final CommandRunner commands;

  /** When each queue was last registered by this broker (System.nanoTime). */
  private final ConcurrentHashMap<String, Long> registered = new ConcurrentHashMap<>();

  /** Whether an ACL refusal of the registration was logged at WARN (once per broker). */
  private final AtomicBoolean refusalLogged = new AtomicBoolean();

  QueueRegistry(CommandRunner commands) {
    this.commands = commands;
  }

  /**
   * The SADD registering {@code queue}, not yet sent, if it is due; else null. The caller sends it
   * and waits for {@link #registered} before writing the queue's task.
   */
  AsyncCommand<byte[], byte[], Long> registrationDue(String queue) {
    long now = System.nanoTime();
    Long last = registered.get(queue);
    if (last != null && now - last < REFRESH_NANOS) {
      return null;
    }
    if (registered.size() > 10_000) {
      registered.clear(); // a client writing to countless queues: just register every time
    }
    registered.put(queue, now);
    return Commands.sadd(Keys.queues(), queue);
  }

  /**
   * Completes when the queue's registration {@code register} (SADD, already sent) has answered. The
   * enqueue script is sent only then, so that an {@code asynq:queues} of another type fails the
   * enqueue with {@link WrongKeyTypeException} before anything is written (as Go Asynq sends its
   * SADD first and stops on its error). Any other failure of the SADD does not stop the enqueue: it
   * is tried again with the next task of that queue. One round trip more, at most once a second per
   * queue.
   */
  CompletableFuture<Void> registered(AsyncCommand<byte[], byte[], Long> register, String queue) {
    return commands
        .bounded("enqueue", register)
        .handle(
            (added, error) -> {
              if (error == null) {
                return null;
              }
              registered.remove(queue); // try again with the next task
              Throwable cause = unwrap(error);
              Throwable redis = cause.getCause() == null ? cause : cause.getCause();
              if (redis.getMessage() != null && redis.getMessage().startsWith("WRONGTYPE")) {
                throw WrongKeyTypeException.ofWrongType("enqueue", Keys.queues(), "set", redis);
              }
              if (redis instanceof RedisException
                  && AclErrors.isRefusal(redis.getMessage())
                  && refusalLogged.compareAndSet(false, true)) {
                // A configuration error, not a passing one: Inspectors will not list the queue.
                log.warn(
                    "{}; queue \"{}\" is not listed by Inspectors until it is",
                    AclErrors.describe(
                        "registering the queue in " + Keys.queues(),
                        null,
                        List.of(Keys.queues()),
                        redis.getMessage()),
                    queue);
                return null;
              }
              log.debug("registering queue \"{}\" in {} failed", queue, Keys.queues(), error);
              return null;
            });
  }
}

package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Failures.unwrap;

import io.jasynq.JasynqException;
import io.jasynq.internal.connection.AuthErrors;
import io.jasynq.internal.connection.Failover;
import io.jasynq.internal.connection.ReachabilityListener;
import io.jasynq.internal.connection.RedisConnection;
import io.lettuce.core.RedisException;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sends the broker's commands over its one connection: every call is asynchronous, bounded by the
 * source's command timeout, and fails with a {@link JasynqException} naming the operation (Redis
 * failures are translated here, in one place). Scripts run by SHA with an EVAL fallback on
 * NOSCRIPT; a script refused by a server that is no longer the master is sent again to the current
 * one. Thread-safe: the Lettuce connection is thread-safe and the only mutable field is volatile.
 */
final class CommandRunner {
  /** How often a waiting call checks that its connection is still there. */
  private static final long GONE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final RedisConnection connection;
  private final Duration timeout;
  // Whether Lettuce already times out every command on this connection (ours always do): then a
  // second timer per command would only cost a scheduled task per call on the hot path.
  private final boolean lettuceTimesOut;
  // Non-null on Redis Cluster: loads scripts on every node before a pipelined batch.
  private final ClusterDispatch cluster;
  // Told of every command's outcome (a server's health checker), or null.
  private volatile ReachabilityListener reachability;

  CommandRunner(RedisConnection connection, Duration timeout) {
    this.connection = connection;
    this.timeout = timeout;
    this.lettuceTimesOut = timesOut(connection);
    this.cluster = ClusterDispatch.of(connection);
  }

  /** The connection commands go through. */
  RedisConnection connection() {
    return connection;
  }

  /** Null unless the connection is to a Redis Cluster. */
  ClusterDispatch cluster() {
    return cluster;
  }

  /** The command timeout every call is bounded by. */
  Duration timeout() {
    return timeout;
  }

  /** Runs {@code script} by SHA, falling back to EVAL on NOSCRIPT, bounded and translated. */
  <T> CompletableFuture<T> runScript(
      String operation,
      Script script,
      List<String> keys,
      List<byte[]> args,
      Supplier<CommandOutput<byte[], byte[], T>> reply) {
    AsyncCommand<byte[], byte[], T> run = Commands.evalsha(script, keys, args, reply);
    dispatch(List.of(run));
    return bounded(
        operation,
        withEvalFallback(run, () -> Commands.eval(script, keys, args, reply)),
        script,
        keys);
  }

  /** Sends one command, bounded and translated (its first key named in an ACL refusal). */
  <T> CompletableFuture<T> send(String operation, AsyncCommand<byte[], byte[], T> command) {
    dispatch(List.of(command));
    return bounded(operation, command, null, firstKey(command));
  }

  /** The first key of {@code command}, for error messages; null if it has none. */
  private static List<String> firstKey(RedisCommand<byte[], byte[], ?> command) {
    java.nio.ByteBuffer key =
        command.getArgs() == null ? null : command.getArgs().getFirstEncodedKey();
    return key == null ? null : List.of(StandardCharsets.UTF_8.decode(key.duplicate()).toString());
  }

  /**
   * Completes when each of {@code keys} is absent or of Redis type {@code expected}; else fails
   * with {@link WrongKeyTypeException} naming the first that is not. For registries in a slot of
   * their own, written beside a script: checked first, so that a registry of another type fails the
   * call before anything is written (a later change of its type is not guarded against).
   */
  CompletableFuture<Void> requireTypes(String operation, String expected, List<String> keys) {
    List<AsyncCommand<byte[], byte[], String>> types = new ArrayList<>(keys.size());
    for (String key : keys) {
      types.add(Commands.type(key));
    }
    dispatch(types);
    List<CompletableFuture<String>> bounded = new ArrayList<>(keys.size());
    for (AsyncCommand<byte[], byte[], String> t : types) {
      bounded.add(bounded(operation, t));
    }
    return CompletableFuture.allOf(bounded.toArray(new CompletableFuture<?>[0]))
        .thenRun(
            () -> {
              for (int i = 0; i < keys.size(); i++) {
                String actual = bounded.get(i).join();
                if (!actual.equals("none") && !actual.equals(expected)) {
                  throw WrongKeyTypeException.of(operation, keys.get(i), actual, expected);
                }
              }
            });
  }

  /** Sends {@code commands} in one flush, routed per key on Cluster; each fails on its own. */
  void dispatch(List<? extends RedisCommand<byte[], byte[], ?>> commands) {
    if (connection.isGone()) { // fail now rather than queue for a reconnect that cannot happen
      RedisException closed = new RedisException("Connection is closed");
      for (RedisCommand<byte[], byte[], ?> c : commands) {
        c.completeExceptionally(closed);
      }
      return;
    }
    if (cluster != null) {
      ClusterDispatch.dispatch(connection.raw(), commands);
      return;
    }
    try {
      connection.raw().dispatch(commands);
    } catch (RuntimeException e) {
      for (RedisCommand<byte[], byte[], ?> c : commands) {
        c.completeExceptionally(e);
      }
    }
  }

  /** {@code first} (a script sent by SHA), sent again as EVAL by {@code eval} if need be. */
  <T> CompletableFuture<T> withEvalFallback(
      AsyncCommand<byte[], byte[], T> first, Supplier<AsyncCommand<byte[], byte[], T>> eval) {
    // Nothing is chained on the hot path: only a failure builds the fallback.
    return first.exceptionallyCompose(error -> recover(unwrap(error), eval, Failover.RETRIES));
  }

  /**
   * What a script that failed with {@code error} becomes: on NOSCRIPT it is sent again as EVAL; on
   * a reply from a server that is no longer the master (READONLY after a Sentinel failover) the
   * connection is moved to the current master and the script is sent again there, up to {@code
   * retries} times. Such a script did not run, so sending it again cannot apply it twice.
   */
  private <T> CompletableFuture<T> recover(
      Throwable error, Supplier<AsyncCommand<byte[], byte[], T>> eval, int retries) {
    if (Commands.isNoScript(error)) {
      // The server's script cache was flushed (restart, failover, SCRIPT FLUSH).
      if (cluster != null) {
        cluster.forget();
      }
      AsyncCommand<byte[], byte[], T> fallback = eval.get();
      dispatch(List.of(fallback));
      return fallback.exceptionallyCompose(e -> recover(unwrap(e), eval, retries));
    }
    if (retries > 0 && Failover.notMaster(error)) {
      return connection
          .reconnect(connection.generation())
          .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .exceptionallyCompose(e -> CompletableFuture.failedFuture(error))
          .thenCompose(
              reconnected -> {
                AsyncCommand<byte[], byte[], T> again = eval.get();
                dispatch(List.of(again));
                return again.exceptionallyCompose(e -> recover(unwrap(e), eval, retries - 1));
              });
    }
    return CompletableFuture.failedFuture(error);
  }

  <T> CompletableFuture<T> bounded(String operation, CompletableFuture<T> future) {
    return bounded(operation, future, null, null);
  }

  /**
   * {@code future} bounded by the command timeout, its failure translated (naming {@code
   * operation}, and for an ACL refusal what is missing: {@code script} and {@code keys}, either may
   * be null, are what the operation ran).
   */
  <T> CompletableFuture<T> bounded(
      String operation, CompletableFuture<T> future, Script script, List<String> keys) {
    CompletableFuture<T> timed =
        lettuceTimesOut ? future : future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return timed.handle(
        (value, error) -> {
          ReachabilityListener watcher = reachability;
          if (error == null) {
            if (watcher != null) {
              watcher.answered();
            }
            return value;
          }
          Throwable cause = unwrap(error);

          if (Failover.notMaster(cause)) {
            // Not retried here (a plain command may have been sent with others), but the next
            // command goes to the master the sentinels name now.
            connection.reconnect(connection.generation());
          }
          RuntimeException failure = translate(operation, future, cause, script, keys);
          if (watcher != null && Failover.unreachable(cause) && !connection.isGone(cause)) {
            watcher.unreachable(failure);
          }
          throw failure;
        });
  }

  private RuntimeException translate(
      String operation,
      CompletableFuture<?> future,
      Throwable cause,
      Script script,
      List<String> keys) {
    if (cause instanceof TimeoutException) {
      future.cancel(false); // a command not yet written is then skipped by Lettuce
      return new JasynqException(
          operation + " failed: Redis did not answer within " + timeout, cause);
    }
    if (cause instanceof JasynqException j) {
      return j;
    }
    WrongKeyTypeException wrongType =
        cause instanceof RedisException
            ? WrongKeyTypeException.ofReply(operation, cause.getMessage(), cause)
            : null;
    if (wrongType != null) {
      return wrongType;
    }
    if (cause instanceof RedisException && AclErrors.isRefusal(cause.getMessage())) {
      return new JasynqException(
          AclErrors.describe(operation, script, keys, cause.getMessage()), cause);
    }
    String auth = cause instanceof RedisException ? AuthErrors.describe(cause.getMessage()) : null;
    if (auth != null) {
      return new JasynqException(operation + " failed: " + auth, cause);
    }
    if (cause instanceof RedisException || cause instanceof CancellationException) {
      return new JasynqException(operation + " failed: " + cause.getMessage(), cause);
    }
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Exception) {
      // A connection dropped under the command (IOException "Connection reset"): name the call.
      return new JasynqException(operation + " failed: " + cause, cause);
    }
    return new CompletionException(cause);
  }

  /** Waits for {@code future} up to the command timeout and unwraps its failure. */
  <T> T await(CompletableFuture<T> future) {
    return await(future, timeout.plusSeconds(1));
  }

  /**
   * Waits for {@code future} up to {@code max} (at most the command timeout) and unwraps its
   * failure; a shutdown's final writes use it so that a Redis that went away cannot hold them for
   * the whole command timeout.
   */
  <T> T await(CompletableFuture<T> future, Duration max) {
    Duration wait = max.compareTo(timeout.plusSeconds(1)) < 0 ? max : timeout.plusSeconds(1);
    try {
      return getUnlessGone(future, Math.max(1, wait.toMillis()));
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new JasynqException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      // The default wait adds a second to the command timeout, so that Lettuce's own timeout wins.
      throw new JasynqException(
          "Redis did not answer within " + (wait.compareTo(timeout) > 0 ? timeout : wait), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new JasynqException("interrupted while waiting for Redis", e);
    }
  }

  /**
   * Waits up to {@code millis} for {@code future}, but gives up at once when the connection is gone
   * for good: a command sent just before its owner shut the event loops down may never complete (no
   * timer is left to time it out), and a shutdown must not wait for it.
   */
  private <T> T getUnlessGone(CompletableFuture<T> future, long millis)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      try {
        return future.get(Math.min(left, GONE_POLL_NANOS), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (connection.isGone()) {
          future.cancel(false);
          throw new JasynqException("the Redis connection is closed");
        }
      }
    }
  }

  /** See {@link Broker#watchReachability}. */
  void watchReachability(ReachabilityListener listener) {
    this.reachability = listener;
    connection.watchLink(listener);
  }

  /** Whether the connection's socket is open now (Lettuce reconnects one that is not). */
  boolean isConnected() {
    return connection.isOpen();
  }

  /** See {@link Broker#connectionGone}. */
  boolean connectionGone(Throwable failure) {
    return connection.isGone(failure);
  }

  private static boolean timesOut(RedisConnection connection) {
    try {
      var options = connection.raw().getOptions();
      return options != null && options.getTimeoutOptions().isTimeoutCommands();
    } catch (RuntimeException e) {
      return false;
    }
  }
}

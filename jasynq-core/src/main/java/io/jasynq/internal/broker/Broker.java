package io.jasynq.internal.broker;

import io.jasynq.JasynqException;
import io.lettuce.core.RedisException;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that sends Redis commands. Every operation is asynchronous, bounded by the
 * source's command timeout, and fails with a {@link JasynqException} naming the operation.
 * Thread-safe: it shares one thread-safe Lettuce connection.
 */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final RedisConnection connection;
  private final Duration timeout;

  private Broker(RedisConnection connection, Duration timeout) {
    this.connection = connection;
    this.timeout = timeout;
  }

  /** A broker on a connection from {@code source}; {@link #close()} releases that connection. */
  public static Broker open(ConnectionSource source) {
    return new Broker(source.open(), source.commandTimeout());
  }

  /**
   * Writes one task atomically, registering its queue first (spec §3.1: a separate SADD, sent in
   * the same flush as the script).
   */
  public CompletableFuture<EnqueueOutcome> enqueue(EnqueueRequest request) {
    AsyncCommand<byte[], byte[], Long> register = Commands.sadd(Keys.queues(), request.queue());
    Script script = scriptFor(request);
    List<String> keys = keysFor(request);
    List<byte[]> args = argsFor(request);
    AsyncCommand<byte[], byte[], Long> run = Commands.evalsha(script, keys, args);
    dispatch(List.of(register, run));
    warnIfFailed(register, request.queue());
    return bounded("enqueue", withEvalFallback(run, script, keys, args))
        .thenApply(EnqueueOutcome::ofReply);
  }

  /**
   * Writes many tasks in one pipelined round trip: the scripts are loaded first in the same flush,
   * so the batch is correct when the server's script cache is empty. Each task is atomic on its
   * own; the batch is not. Returns one future per request, in order.
   */
  public List<CompletableFuture<EnqueueOutcome>> enqueueBatch(List<EnqueueRequest> requests) {
    List<RedisCommand<byte[], byte[], ?>> pipeline = new ArrayList<>();
    Set<Script> scripts = EnumSet.noneOf(Script.class);
    Set<String> queues = new LinkedHashSet<>();
    for (EnqueueRequest r : requests) {
      scripts.add(scriptFor(r));
      queues.add(r.queue());
    }
    for (Script s : scripts) {
      pipeline.add(Commands.scriptLoad(s));
    }
    List<AsyncCommand<byte[], byte[], Long>> registers = new ArrayList<>();
    for (String q : queues) {
      registers.add(Commands.sadd(Keys.queues(), q));
    }
    pipeline.addAll(registers);
    List<CompletableFuture<EnqueueOutcome>> results = new ArrayList<>(requests.size());
    List<AsyncCommand<byte[], byte[], Long>> runs = new ArrayList<>(requests.size());
    for (EnqueueRequest r : requests) {
      runs.add(Commands.evalsha(scriptFor(r), keysFor(r), argsFor(r)));
    }
    pipeline.addAll(runs);
    dispatch(pipeline);
    int i = 0;
    for (String q : queues) {
      warnIfFailed(registers.get(i++), q);
    }
    for (int j = 0; j < requests.size(); j++) {
      EnqueueRequest r = requests.get(j);
      Script script = scriptFor(r);
      results.add(
          bounded("enqueue", withEvalFallback(runs.get(j), script, keysFor(r), argsFor(r)))
              .thenApply(EnqueueOutcome::ofReply));
    }
    return results;
  }

  /** PING. */
  public CompletableFuture<Void> ping() {
    AsyncCommand<byte[], byte[], String> ping = Commands.ping();
    dispatch(List.of(ping));
    return bounded("ping", ping).thenApply(reply -> null);
  }

  /** Waits for {@code future} up to the command timeout and unwraps its failure. */
  public <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
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
      throw new JasynqException("Redis did not answer within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new JasynqException("interrupted while waiting for Redis", e);
    }
  }

  /** Releases the connection (closing it only if owned). Idempotent; never throws. */
  @Override
  public void close() {
    connection.release();
  }

  @Override
  public String toString() {
    return "Broker[" + connection + "]";
  }

  private static Script scriptFor(EnqueueRequest r) {
    return switch (r.target()) {
      case PENDING -> Script.ENQUEUE;
      case SCHEDULED -> Script.SCHEDULE;
      case GROUP -> Script.ADD_TO_GROUP;
    };
  }

  private static List<String> keysFor(EnqueueRequest r) {
    List<String> keys = new ArrayList<>(4);
    keys.add(Keys.task(r.queue(), r.id()));
    switch (r.target()) {
      case PENDING -> keys.add(Keys.pending(r.queue()));
      case SCHEDULED -> keys.add(Keys.scheduled(r.queue()));
      case GROUP -> {
        keys.add(Keys.group(r.queue(), r.group()));
        keys.add(Keys.groups(r.queue()));
      }
    }
    if (r.uniqueKey() != null) {
      keys.add(r.uniqueKey()); // never an empty key: "" hashes to slot 0 on Cluster
    }
    return keys;
  }

  private static List<byte[]> argsFor(EnqueueRequest r) {
    List<byte[]> args = new ArrayList<>(5);
    args.add(r.message());
    args.add(Keys.bytes(r.id()));
    switch (r.target()) {
      case PENDING -> {
        args.add(number(r.nowUnixNanos()));
        if (r.uniqueKey() != null) {
          args.add(number(r.uniqueTtlSeconds()));
        }
      }
      case SCHEDULED -> {
        args.add(number(r.processAtUnix()));
        args.add(Keys.bytes(r.group()));
        if (r.uniqueKey() != null) {
          args.add(number(r.uniqueTtlSeconds()));
        }
      }
      case GROUP -> {
        args.add(number(TimeUnit.NANOSECONDS.toSeconds(r.nowUnixNanos())));
        args.add(Keys.bytes(r.group()));
        if (r.uniqueKey() != null) {
          args.add(number(r.uniqueTtlSeconds()));
        }
      }
    }
    return args;
  }

  private static byte[] number(long n) {
    return Keys.bytes(Long.toString(n));
  }

  private CompletableFuture<Long> withEvalFallback(
      AsyncCommand<byte[], byte[], Long> first,
      Script script,
      List<String> keys,
      List<byte[]> args) {
    return first
        .handle(
            (reply, error) -> {
              if (error == null) {
                return CompletableFuture.completedFuture(reply);
              }
              if (Commands.isNoScript(unwrap(error))) {
                // The server's script cache was flushed (restart, failover, SCRIPT FLUSH).
                AsyncCommand<byte[], byte[], Long> eval = Commands.eval(script, keys, args);
                dispatch(List.of(eval));
                return (CompletableFuture<Long>) eval;
              }
              return CompletableFuture.<Long>failedFuture(unwrap(error));
            })
        .thenCompose(f -> f);
  }

  private void dispatch(List<? extends RedisCommand<byte[], byte[], ?>> commands) {
    try {
      connection.raw().dispatch(commands);
    } catch (RuntimeException e) {
      for (RedisCommand<byte[], byte[], ?> c : commands) {
        c.completeExceptionally(e);
      }
    }
  }

  private <T> CompletableFuture<T> bounded(String operation, CompletableFuture<T> future) {
    CompletableFuture<T> result = new CompletableFuture<>();
    future
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (value, error) -> {
              if (error == null) {
                result.complete(value);
                return;
              }
              Throwable cause = unwrap(error);
              if (cause instanceof TimeoutException) {
                future.cancel(false); // a command not yet written is then skipped by Lettuce
                result.completeExceptionally(
                    new JasynqException(
                        operation + " failed: Redis did not answer within " + timeout, cause));
              } else if (cause instanceof JasynqException) {
                result.completeExceptionally(cause);
              } else if (cause instanceof RedisException
                  || cause instanceof CancellationException) {
                result.completeExceptionally(
                    new JasynqException(operation + " failed: " + cause.getMessage(), cause));
              } else {
                result.completeExceptionally(cause);
              }
            });
    return result;
  }

  private static void warnIfFailed(CompletableFuture<?> register, String queue) {
    register.whenComplete(
        (ok, error) -> {
          if (error != null) {
            log.debug("registering queue \"{}\" in {} failed", queue, Keys.queues(), error);
          }
        });
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}

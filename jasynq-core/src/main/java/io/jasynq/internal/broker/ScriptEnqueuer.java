package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.EnqueueScripts.argsFor;
import static io.jasynq.internal.broker.EnqueueScripts.keysFor;
import static io.jasynq.internal.broker.EnqueueScripts.scriptFor;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The plain {@link Enqueuer}: one script per task on the broker's connection, its queue registered
 * first by the {@link QueueRegistry}. Thread-safe.
 */
final class ScriptEnqueuer implements Enqueuer {
  private final CommandRunner commands;
  private final QueueRegistry registry;

  ScriptEnqueuer(CommandRunner commands) {
    this.commands = commands;
    this.registry = new QueueRegistry(commands);
  }

  @Override
  public CompletableFuture<EnqueueOutcome> enqueue(EnqueueRequest request) {
    return run(
            request, scriptFor(request), keysFor(request), argsFor(request), Commands::integerReply)
        .thenApply(EnqueueOutcome::ofReply);
  }

  /**
   * Runs an enqueue script (plain, or wrapped as fire_once.lua wraps it) for {@code request} after
   * registering its queue; its reply read by {@code reply}.
   */
  <T> CompletableFuture<T> run(
      EnqueueRequest request,
      Script script,
      List<String> keys,
      List<byte[]> args,
      Supplier<CommandOutput<byte[], byte[], T>> reply) {
    CompletableFuture<Void> registered = register(request.queue());
    if (registered == null) {
      return commands.runScript("enqueue", script, keys, args, reply);
    }
    return registered.thenCompose(v -> commands.runScript("enqueue", script, keys, args, reply));
  }

  /**
   * Sends the SADD registering {@code queue} if it is due and returns when it answered (see {@link
   * QueueRegistry#registered}); null when no registration is due.
   */
  CompletableFuture<Void> register(String queue) {
    AsyncCommand<byte[], byte[], Long> register = registry.registrationDue(queue);
    if (register == null) {
      return null;
    }
    commands.dispatch(List.of(register)); // asynq:queues lives in its own slot: routed
    return registry.registered(register, queue);
  }

  /**
   * Writes many tasks in one pipelined round trip: the scripts are loaded first in the same flush,
   * so the batch is correct when the server's script cache is empty. On Redis Cluster they are
   * loaded on every node instead, before the first batch that needs them, and each command goes to
   * its queue's node. Each task is atomic on its own; the batch is not.
   */
  @Override
  public List<CompletableFuture<EnqueueOutcome>> enqueueBatch(List<EnqueueRequest> requests) {
    return run(requests, Commands::integerReply).stream()
        .map(f -> f.thenApply(EnqueueOutcome::ofReply))
        .toList();
  }

  /** {@link #enqueueBatch}, each script's reply read by {@code reply}. */
  <T> List<CompletableFuture<T>> run(
      List<EnqueueRequest> requests, Supplier<CommandOutput<byte[], byte[], T>> reply) {
    List<RedisCommand<byte[], byte[], ?>> pipeline = new ArrayList<>();
    Set<Script> scripts = EnumSet.noneOf(Script.class);
    Set<String> queues = new LinkedHashSet<>();
    for (EnqueueRequest r : requests) {
      scripts.add(scriptFor(r));
      queues.add(r.queue());
    }
    ClusterDispatch cluster = commands.cluster();
    if (cluster == null) {
      for (Script s : scripts) {
        pipeline.add(Commands.scriptLoad(s));
      }
    }
    // Queues to register go first, and the scripts only once those SADDs have answered (see
    // QueueRegistry#registered): a batch costs a round trip more at most once a second per queue.
    Map<String, CompletableFuture<Void>> registrations = new HashMap<>();
    List<RedisCommand<byte[], byte[], ?>> registers = new ArrayList<>();
    for (String q : queues) {
      AsyncCommand<byte[], byte[], Long> register = registry.registrationDue(q);
      if (register != null) {
        registers.add(register);
        registrations.put(q, registry.registered(register, q));
      }
    }
    List<AsyncCommand<byte[], byte[], T>> runs = new ArrayList<>(requests.size());
    for (EnqueueRequest r : requests) {
      runs.add(Commands.evalsha(scriptFor(r), keysFor(r), argsFor(r), reply));
    }
    CompletableFuture<Void> allRegistered =
        CompletableFuture.allOf(registrations.values().toArray(new CompletableFuture<?>[0]))
            .handle((v, e) -> null);
    if (!registers.isEmpty()) {
      commands.dispatch(registers);
    }
    // A task whose queue could not be registered (asynq:queues of another type) is not sent.
    Runnable send =
        () -> {
          List<RedisCommand<byte[], byte[], ?>> all = new ArrayList<>(pipeline);
          for (int j = 0; j < requests.size(); j++) {
            CompletableFuture<Void> reg = registrations.get(requests.get(j).queue());
            if (reg == null || !reg.isCompletedExceptionally()) {
              all.add(runs.get(j));
            }
          }
          if (cluster == null) {
            commands.dispatch(all);
          } else {
            // A keyless SCRIPT LOAD would reach one node only: load on every node first (once).
            cluster.preload(scripts).thenRun(() -> commands.dispatch(all));
          }
        };
    if (registers.isEmpty()) {
      send.run();
    } else {
      allRegistered.thenRun(send);
    }
    List<CompletableFuture<T>> results = new ArrayList<>(requests.size());
    for (int j = 0; j < requests.size(); j++) {
      EnqueueRequest r = requests.get(j);
      Script script = scriptFor(r);
      List<String> keys = keysFor(r);
      AsyncCommand<byte[], byte[], T> run = runs.get(j);
      CompletableFuture<Void> reg =
          registrations.getOrDefault(r.queue(), CompletableFuture.completedFuture(null));
      results.add(
          allRegistered
              .thenCompose(v -> reg)
              .thenCompose(
                  v ->
                      commands.bounded(
                          "enqueue",
                          commands.withEvalFallback(
                              run, () -> Commands.eval(script, keys, argsFor(r), reply)),
                          script,
                          keys)));
    }
    return results;
  }
}

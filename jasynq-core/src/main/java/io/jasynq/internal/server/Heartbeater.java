package io.jasynq.internal.server;

import com.google.protobuf.Timestamp;
import io.jasynq.ServerConfig;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.proto.ServerInfo;
import io.jasynq.internal.broker.proto.WorkerInfo;
import io.jasynq.internal.runtime.PeriodicPart;
import io.jasynq.internal.runtime.ProcessIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every heartbeat: extends the leases of running tasks, cancels those whose lease ran out locally
 * (Redis was unreachable too long: the recoverer will bring them back), and writes the server and
 * worker state that {@code asynq server ls}, asynqmon and the Inspector read.
 */
final class Heartbeater implements PeriodicPart {
  private final Broker broker;
  private final ProcessIdentity identity;
  private final ServerConfig config;
  private final Processor processor;
  private final Supplier<String> status;
  private final Instant started;

  Heartbeater(
      Broker broker,
      ProcessIdentity identity,
      ServerConfig config,
      Processor processor,
      Supplier<String> status,
      Instant started) {
    this.broker = broker;
    this.identity = identity;
    this.config = config;
    this.processor = processor;
    this.status = status;
    this.started = started;
  }

  @Override
  public String name() {
    return "heartbeater";
  }

  @Override
  public void runOnce(Instant now) {
    extendLeases(now);
    List<ActiveTask> running = new ArrayList<>(processor.active());
    List<WorkerInfo> workers = new ArrayList<>(running.size());
    for (ActiveTask t : running) {
      workers.add(
          WorkerInfo.newBuilder()
              .setHost(identity.host())
              .setPid(identity.pid())
              .setServerId(identity.id())
              .setTaskId(t.taskId())
              .setTaskType(t.task.type())
              .setTaskPayload(t.message.getPayload())
              .setQueue(t.queue)
              .setStartTime(timestamp(t.started))
              .setDeadline(timestamp(t.deadline()))
              .build());
    }
    ServerInfo info =
        ServerInfo.newBuilder()
            .setHost(identity.host())
            .setPid(identity.pid())
            .setServerId(identity.id())
            .setConcurrency(config.concurrency())
            .putAllQueues(config.queues())
            .setStrictPriority(config.strictPriority())
            .setStatus(status.get())
            .setStartTime(timestamp(started))
            .setActiveWorkerCount(running.size())
            .build();
    broker.await(broker.servers().writeServerState(info, workers, now, ttl()));
  }

  /** Removes this server's entries (at shutdown), waiting at most {@code max} for Redis. */
  void clear(Duration max) {
    broker.await(
        broker.servers().clearServerState(identity.host(), identity.pid(), identity.id()), max);
  }

  Duration ttl() {
    return config.heartbeatInterval().multipliedBy(2);
  }

  private void extendLeases(Instant now) {
    Instant expiry = now.plus(Processor.LEASE);
    Map<String, List<ActiveTask>> byQueue = new HashMap<>();
    for (ActiveTask t : processor.active()) {
      if (t.isFinished()) {
        continue;
      }
      if (!now.isBefore(t.leaseExpiry)) {
        processor.cancel(t.taskId(), Cancellation.Kind.LEASE_EXPIRED);
      } else {
        byQueue.computeIfAbsent(t.queue, q -> new ArrayList<>()).add(t);
      }
    }
    byQueue.forEach(
        (queue, tasks) -> {
          broker.await(
              broker
                  .tasks()
                  .extendLease(queue, tasks.stream().map(ActiveTask::taskId).toList(), expiry));
          tasks.forEach(t -> t.leaseExpiry = expiry);
        });
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}

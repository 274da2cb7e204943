package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Inspection.instant;
import static io.jasynq.internal.broker.Inspection.optionalInstant;
import static io.jasynq.internal.broker.Inspection.score;
import static io.jasynq.internal.broker.Inspection.wrongType;
import static io.jasynq.internal.broker.ScriptValues.text;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.SchedulerEntry;
import io.jasynq.ServerInfo;
import io.jasynq.WorkerInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Inspector's reads of the heartbeat registries (wire-format §6.2): live servers with their
 * workers, and the schedulers' entries and enqueue history. Read only: servers and schedulers prune
 * their registries as they beat, so an Inspector can run as a read-only Redis user. Bad records are
 * rows with problems. Thread-safe; every call blocks.
 */
public final class RegistryQueries {
  private final Inspection inspection;
  private final CommandRunner commands;

  /** Sharing the connection and the logged problems of {@code reads}. */
  public RegistryQueries(InspectQueries reads) {
    this(reads.inspection());
  }

  RegistryQueries(Inspection inspection) {
    this.inspection = inspection;
    this.commands = inspection.commands();
  }

  /**
   * Servers whose heartbeat is current, with their workers (wire-format §6.2 Servers), sorted by
   * host, PID and ID. Expired registry entries are pruned; a server whose key has expired meanwhile
   * is left out; bad records are rows with problems.
   */
  public List<ServerInfo> servers(Instant now) {
    Live serverKeys = liveMembers(Keys.servers(), now);
    Live workerRegistry = liveMembers(Keys.workers(), now);
    Set<String> workerKeys = Set.copyOf(workerRegistry.members());
    List<ServerInfo> servers = new ArrayList<>(serverKeys.members().size() + 1);
    if (serverKeys.problem() != null) {
      servers.add(badServer("", List.of(serverKeys.problem())));
    }
    for (String serverKey : serverKeys.members()) {
      String tag = serverKey.substring(Keys.servers().length() + 1);
      String workersKey = Keys.workers() + ":" + tag;
      List<Object> r =
          inspection.run("servers", Script.READ_SERVER, List.of(serverKey, workersKey), List.of());
      String serverType = text(r.get(0));
      if (serverType.equals("none")) {
        continue; // expired since the registry was read
      }
      List<String> problems = new ArrayList<>(0);
      if (workerRegistry.problem() != null) {
        problems.add(workerRegistry.problem() + "; workers not shown");
      }
      if (!serverType.equals("string")) {
        problems.add(wrongType(serverKey, serverType, "string"));
        servers.add(badServer(tag, problems));
        continue;
      }
      io.jasynq.internal.broker.proto.ServerInfo info;
      try {
        info = io.jasynq.internal.broker.proto.ServerInfo.parseFrom((byte[]) r.get(1));
      } catch (InvalidProtocolBufferException e) {
        problems.add(serverKey + " does not decode: " + e.getMessage());
        servers.add(badServer(tag, problems));
        continue;
      }
      String workersType = text(r.get(2));
      if (!workersType.equals("hash") && !workersType.equals("none")) {
        problems.add(wrongType(workersKey, workersType, "hash"));
      }
      List<WorkerInfo> workers = new ArrayList<>();
      if (workerKeys.contains(workersKey)) {
        for (Object raw : (List<?>) r.get(3)) {
          workerInfo((byte[]) raw, info.getServerId(), workersKey, problems)
              .ifPresent(workers::add);
        }
      }
      workers.sort(Comparator.comparing(WorkerInfo::started).thenComparing(WorkerInfo::taskId));
      servers.add(
          new ServerInfo(
              info.getServerId(),
              info.getHost(),
              info.getPid(),
              info.getConcurrency(),
              new HashMap<>(info.getQueuesMap()),
              info.getStrictPriority(),
              info.getStatus(),
              instant(info.getStartTime()),
              info.getActiveWorkerCount(),
              workers,
              problems));
    }
    servers.sort(
        Comparator.comparing(ServerInfo::host)
            .thenComparingInt(ServerInfo::pid)
            .thenComparing(ServerInfo::id));
    servers.stream()
        .filter(s -> !s.problems().isEmpty())
        .forEach(
            s -> inspection.warnOnce("servers: server {} is malformed: {}", s.id(), s.problems()));
    return servers;
  }

  /** A server row for a bad record: ID, host and PID from the key's {host:pid:id} tag. */
  private static ServerInfo badServer(String tag, List<String> problems) {
    String inner =
        tag.startsWith("{") && tag.endsWith("}") ? tag.substring(1, tag.length() - 1) : tag;
    int last = inner.lastIndexOf(':');
    int middle = last < 0 ? -1 : inner.lastIndexOf(':', last - 1);
    String host = middle < 0 ? inner : inner.substring(0, middle);
    String id = last < 0 ? "" : inner.substring(last + 1);
    int pid = 0;
    if (middle >= 0) {
      try {
        pid = Integer.parseInt(inner.substring(middle + 1, last));
      } catch (NumberFormatException e) {
        pid = 0;
      }
    }
    return new ServerInfo(id, host, pid, 0, Map.of(), false, "", null, 0, List.of(), problems);
  }

  private static Optional<WorkerInfo> workerInfo(
      byte[] raw, String serverId, String workersKey, List<String> problems) {
    try {
      var w = io.jasynq.internal.broker.proto.WorkerInfo.parseFrom(raw);
      if (!w.getServerId().equals(serverId)) {
        return Optional.empty(); // as Go: workers are joined to their server by ID
      }
      return Optional.of(
          new WorkerInfo(
              w.getTaskId(),
              w.getTaskType(),
              w.getTaskPayload().toByteArray(),
              w.getQueue(),
              instant(w.getStartTime()),
              w.hasDeadline() ? optionalInstant(w.getDeadline()) : Optional.empty()));
    } catch (InvalidProtocolBufferException e) {
      problems.add("an entry of " + workersKey + " does not decode: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The entries of every scheduler whose heartbeat is current (wire-format §6.2 SchedulerEntries),
   * sorted by spec, task type and ID. Option strings without {@code (} are left out; entries that
   * do not decode and keys of the wrong type are rows with problems.
   */
  public List<SchedulerEntry> schedulerEntries(Instant now) {
    List<SchedulerEntry> entries = new ArrayList<>();
    Live live = liveMembers(Keys.schedulers(), now);
    if (live.problem() != null) {
      entries.add(badEntry(live.problem()));
    }
    for (String key : live.members()) {
      String type = inspection.type("schedulerEntries", key);
      if (type.equals("none")) {
        continue; // expired since the registry was read
      }
      if (!type.equals("list")) {
        entries.add(badEntry(wrongType(key, type, "list")));
        continue;
      }
      List<Object> raw =
          commands.await(commands.send("schedulerEntries", Commands.lrange(key, 0, -1)));
      for (Object bytes : raw) {
        try {
          var e = io.jasynq.internal.broker.proto.SchedulerEntry.parseFrom((byte[]) bytes);
          entries.add(
              new SchedulerEntry(
                  e.getId(),
                  e.getSpec(),
                  e.getTaskType(),
                  e.getTaskPayload().toByteArray(),
                  e.getEnqueueOptionsList().stream().filter(o -> o.indexOf('(') >= 0).toList(),
                  instant(e.getNextEnqueueTime()),
                  e.hasPrevEnqueueTime()
                      ? optionalInstant(e.getPrevEnqueueTime())
                      : Optional.empty()));
        } catch (InvalidProtocolBufferException ex) {
          entries.add(badEntry("an entry of " + key + " does not decode: " + ex.getMessage()));
        }
      }
    }
    entries.sort(
        Comparator.comparing(SchedulerEntry::spec)
            .thenComparing(SchedulerEntry::taskType)
            .thenComparing(SchedulerEntry::id));
    entries.stream()
        .filter(e -> !e.problems().isEmpty())
        .forEach(e -> inspection.warnOnce("schedulerEntries: bad entry: {}", e.problems()));
    return entries;
  }

  private static SchedulerEntry badEntry(String problem) {
    return new SchedulerEntry(
        "", "", "", new byte[0], List.of(), null, Optional.empty(), List.of(problem));
  }

  /**
   * One page of an entry's enqueue history, newest first; events that do not decode are rows with
   * an empty task ID, their score as time, and a problem (Go fails the whole call).
   */
  public List<SchedulerEnqueueEvent> schedulerHistory(String entryId, long start, long stop) {
    String key = Keys.schedulerHistory(entryId);
    String type = inspection.type("schedulerHistory", key);
    if (!type.equals("zset")) {
      if (type.equals("none") || start > 0) {
        return List.of();
      }
      String problem = wrongType(key, type, "zset");
      inspection.warnOnce("schedulerHistory: {}", problem);
      return List.of(new SchedulerEnqueueEvent("", null, List.of(problem)));
    }
    List<Object> raw = new ArrayList<>();
    for (Object item :
        commands.await(
            commands.send("schedulerHistory", Commands.zrevrangeWithScores(key, start, stop)))) {
      if (item instanceof List<?> pair) {
        raw.addAll(pair); // RESP3 answers [member, score] pairs; RESP2 a flat list
      } else {
        raw.add(item);
      }
    }
    List<SchedulerEnqueueEvent> events = new ArrayList<>(raw.size() / 2);
    for (int i = 0; i + 1 < raw.size(); i += 2) {
      try {
        var e =
            io.jasynq.internal.broker.proto.SchedulerEnqueueEvent.parseFrom((byte[]) raw.get(i));
        events.add(new SchedulerEnqueueEvent(e.getTaskId(), instant(e.getEnqueueTime())));
      } catch (InvalidProtocolBufferException ex) {
        String problem = "an event of " + key + " does not decode: " + ex.getMessage();
        inspection.warnOnce("schedulerHistory: {}", problem);
        events.add(new SchedulerEnqueueEvent("", score(raw.get(i + 1)), List.of(problem)));
      }
    }
    return events;
  }

  /** The live members of a registry, or the problem with its key. */
  private record Live(String problem, List<String> members) {}

  /**
   * The members of a heartbeat registry scored at or after {@code now}, or the problem with its
   * key. Read only, unlike Go's Inspector, which prunes expired members: servers and schedulers
   * prune them as they beat, so an Inspector can run as a read-only Redis user.
   */
  private Live liveMembers(String registry, Instant now) {
    String type = inspection.type("liveRegistry", registry);
    if (!type.equals("zset") && !type.equals("none")) {
      return new Live(wrongType(registry, type, "zset"), List.of());
    }
    List<Object> r =
        commands.await(
            commands.send(
                "liveRegistry",
                Commands.zrangeByScore(registry, Long.toString(now.getEpochSecond()), "+inf")));
    return new Live(null, r.stream().map(ScriptValues::text).toList());
  }
}

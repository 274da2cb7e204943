package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Broker.number;
import static io.jasynq.internal.broker.Broker.text;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.jasynq.DailyStats;
import io.jasynq.GroupInfo;
import io.jasynq.JasynqException;
import io.jasynq.QueueInfo;
import io.jasynq.QueueNotEmptyException;
import io.jasynq.QueueNotFoundException;
import io.jasynq.QueueStateException;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.SchedulerEntry;
import io.jasynq.ServerInfo;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.TaskStateException;
import io.jasynq.WorkerInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Inspector's reads and writes (asynq-compat spec §6, §3.24), as Go Asynq's {@code inspect.go}
 * does them, with the fixes of spec §9. Every script touches the keys of one queue only (one slot
 * on Cluster); the global registries are read and written by single-key commands or scripts.
 * Thread-safe; every call blocks until Redis answers or the command timeout passes.
 */
public final class InspectQueries {
  private static final Logger log = LoggerFactory.getLogger(InspectQueries.class);

  /** IDs sampled per list, zset and group for the memory estimate (Asynq: 20). */
  static final int MEMORY_SAMPLE = 20;

  /** Groups sampled for the memory estimate (Asynq: 5). */
  static final int MEMORY_GROUP_SAMPLE = 5;

  /** Tasks deleted per script call when a queue is deleted. */
  static final int DELETE_BATCH = 1000;

  /** Days of daily counters a deleted queue's keys are looked for (they live 90 days). */
  static final int DAILY_STATS_DAYS = 92;

  /** Keys asked for per SCAN step when a queue is deleted. */
  static final int DELETE_SCAN_COUNT = 500;

  /** Go's zero {@code time.Time} as a protobuf Timestamp's seconds (spec §2.1): "none". */
  static final long GO_ZERO_TIME_SECONDS = -62135596800L;

  private static final Map<TaskState, String> STATE_KEYS =
      Map.of(
          TaskState.PENDING, "pending",
          TaskState.ACTIVE, "active",
          TaskState.SCHEDULED, "scheduled",
          TaskState.RETRY, "retry",
          TaskState.ARCHIVED, "archived",
          TaskState.COMPLETED, "completed");

  /**
   * A task as the Inspector reads it: its message, the state it was found in, when it is next due,
   * whether its lease has expired, its result, and what is wrong with it.
   *
   * @param message the decoded task message; for a bad row, what could be read (at least the ID and
   *     queue of its key)
   * @param state the state (of the container it was listed from, or of its hash)
   * @param nextProcessAt when it is next due, or null for none
   * @param orphaned whether it is active with an expired lease
   * @param result the stored result, or null
   * @param problems what is wrong with the record, one line each; empty for a good one
   */
  public record Found(
      TaskMessage message,
      TaskState state,
      Instant nextProcessAt,
      boolean orphaned,
      byte[] result,
      List<String> problems) {
    /** Copies the problems. */
    public Found {
      problems = List.copyOf(problems);
    }

    Found(
        TaskMessage message,
        TaskState state,
        Instant nextProcessAt,
        boolean orphaned,
        byte[] result) {
      this(message, state, nextProcessAt, orphaned, result, List.of());
    }
  }

  /** What a bulk or single-task write does. */
  public enum Action {
    DELETE,
    RUN,
    ARCHIVE
  }

  private final Broker broker;
  // Shared: the problems already logged at WARN (dashboards and metrics read every few seconds).
  private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final RedisNodes nodes;

  /** Queries over {@code broker}'s connection; the caller keeps owning the broker. */
  public InspectQueries(Broker broker) {
    this.broker = broker;
    this.nodes = new RedisNodes(broker);
  }

  // ----------------------------------------------------------------------------------------------
  // Reads

  /**
   * Every registered queue, sorted. A name that is not UTF-8 shows each bad byte as {@code \xNN}.
   *
   * @throws JasynqException if {@code asynq:queues} is not a set (nothing can be listed then)
   */
  public List<String> queues() {
    String type = type("queues", Keys.queues());
    if (!type.equals("set") && !type.equals("none")) {
      throw new JasynqException("queues failed: " + wrongType(Keys.queues(), type, "set"));
    }
    List<Object> members = broker.await(broker.send("queues", Commands.smembers(Keys.queues())));
    return members.stream().map(m -> readable((byte[]) m)).sorted().toList();
  }

  /** Throws {@link QueueNotFoundException} unless {@code queue} is in {@code asynq:queues}. */
  public void requireQueue(String queue) {
    Long member =
        broker.await(broker.send("queueExists", Commands.sismember(Keys.queues(), queue)));
    if (member == 0L) {
      throw new QueueNotFoundException(queue);
    }
  }

  /**
   * QueueInfo (spec §6.2): the counts in one script, then the memory estimate in a second. Bad keys
   * count 0 and are named in the problems; an estimate that fails is -1, with its reason.
   */
  public QueueInfo queueInfo(String queue, Instant now) {
    requireQueue(queue);
    LocalDate today = Broker.day(now);
    List<String> keys = new ArrayList<>(stateKeys(queue));
    keys.add(Keys.processed(queue, today));
    keys.add(Keys.failed(queue, today));
    keys.add(Keys.processedTotal(queue));
    keys.add(Keys.failedTotal(queue));
    keys.add(Keys.paused(queue));
    keys.add(Keys.groups(queue));
    List<byte[]> args =
        List.of(Keys.bytes(Keys.taskPrefix(queue)), Keys.bytes(Keys.groupPrefix(queue)));
    List<Object> r = run("queueInfo", Script.QUEUE_INFO, keys, args);
    long[] n = new long[13];
    for (int i = 0; i < n.length; i++) {
      n[i] = (Long) r.get(i);
    }
    Duration latency = Duration.ZERO;
    if (r.get(13) != null) {
      try {
        long since = Long.parseLong(text(r.get(13)));
        latency = Duration.ofNanos(Broker.unixNanos(now) - since);
      } catch (NumberFormatException e) {
        latency = Duration.ZERO; // as Go: a non-numeric pending_since reads as no latency
      }
    }
    List<String> problems = new ArrayList<>();
    for (Object line : (List<?>) r.get(14)) {
      problems.add(readable((byte[]) line));
    }
    long memory;
    try {
      memory = memoryUsage(queue);
    } catch (JasynqException e) {
      memory = -1;
      problems.add("memory usage unknown: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      warnOnce("queueInfo: queue \"{}\" has bad keys: {}", queue, problems);
    }
    long size = n[0] + n[1] + n[2] + n[3] + n[4] + n[5] + n[12];
    return new QueueInfo(
        queue,
        memory,
        latency,
        size,
        (int) n[11],
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
        n[12],
        n[6],
        n[7],
        n[8],
        n[9],
        n[10] == 1L,
        now,
        problems);
  }

  private long memoryUsage(String queue) {
    List<String> keys = new ArrayList<>(stateKeys(queue));
    keys.add(Keys.groups(queue));
    List<byte[]> args =
        List.of(
            Keys.bytes(Keys.taskPrefix(queue)),
            Keys.bytes(Keys.groupPrefix(queue)),
            number(MEMORY_SAMPLE),
            number(MEMORY_GROUP_SAMPLE));
    Long bytes =
        broker.await(
            broker.runScript(
                "memoryUsage", Script.MEMORY_USAGE, keys, args, Commands::integerReply));
    return Math.max(0, bytes);
  }

  /**
   * Daily counters for today and the {@code days - 1} days before it, today first. A bad counter
   * counts 0 and is named in the day's problems.
   */
  public List<DailyStats> history(String queue, int days, Instant now) {
    requireQueue(queue);
    LocalDate today = Broker.day(now);
    List<String> keys = new ArrayList<>(2 * days);
    for (int i = 0; i < days; i++) {
      LocalDate day = today.minusDays(i);
      keys.add(Keys.processed(queue, day));
      keys.add(Keys.failed(queue, day));
    }
    List<Object> r = run("history", Script.HISTORY, keys, List.of());
    List<DailyStats> stats = new ArrayList<>(days);
    for (int i = 0; i < days; i++) {
      List<String> problems = new ArrayList<>(0);
      for (int j = 1; j <= 3; j += 2) {
        if (r.get(4 * i + j) != null) {
          problems.add(readable((byte[]) r.get(4 * i + j)));
        }
      }
      if (!problems.isEmpty()) {
        warnOnce("history: queue \"{}\" has bad counters: {}", queue, problems);
      }
      stats.add(
          new DailyStats(
              queue, today.minusDays(i), (Long) r.get(4 * i), (Long) r.get(4 * i + 2), problems));
    }
    return stats;
  }

  /**
   * The registered groups of {@code queue} with their sizes, sorted by name; no queue check. A
   * group whose key is not a zset has size 0 and a problem; a group registry that is not a set is
   * one row with an empty name and a problem.
   */
  public List<GroupInfo> groups(String queue) {
    List<Object> r =
        run(
            "groups",
            Script.GROUPS,
            List.of(Keys.groups(queue)),
            List.of(Keys.bytes(Keys.groupPrefix(queue))));
    String registry = text(r.get(0));
    if (!registry.equals("set")) {
      if (registry.equals("none")) {
        return List.of();
      }
      String problem = wrongType(Keys.groups(queue), registry, "set");
      warnOnce("groups: queue \"{}\": {}", queue, problem);
      return List.of(new GroupInfo("", 0, List.of(problem)));
    }
    List<GroupInfo> groups = new ArrayList<>(r.size() / 3);
    for (int i = 1; i + 2 < r.size(); i += 3) {
      byte[] raw = (byte[]) r.get(i);
      String name = readable(raw);
      String type = text(r.get(i + 2));
      List<String> problems = new ArrayList<>(0);
      if (!isUtf8(raw)) {
        problems.add("the group name is not valid UTF-8");
      }
      if (!type.equals("zset") && !type.equals("none")) {
        problems.add(wrongType(Keys.groupPrefix(queue) + name, type, "zset"));
      }
      if (!problems.isEmpty()) {
        warnOnce("groups: queue \"{}\", group \"{}\": {}", queue, name, problems);
      }
      groups.add(new GroupInfo(name, (Long) r.get(i + 1), problems));
    }
    groups.sort(Comparator.comparing(GroupInfo::group));
    return groups;
  }

  /**
   * One task with the state its hash records (spec §6.2 GetTaskInfo). A task whose records are bad
   * is returned with its problems, in the state its hash names or else the state whose list or set
   * holds its ID.
   *
   * @throws TaskNotFoundException if there is no task hash and no list or set holds the ID, or the
   *     key is bad and no state can be found for it
   */
  public Found taskInfo(String queue, String id, Instant now) {
    requireQueue(queue);
    List<String> keys = new ArrayList<>(stateKeys(queue));
    keys.add(0, Keys.task(queue, id));
    keys.add(Keys.groups(queue));
    List<byte[]> args = List.of(Keys.bytes(id), Keys.bytes(Keys.groupPrefix(queue)));
    List<Object> r = run("taskInfo", Script.TASK_INFO, keys, args);
    String keyType = text(r.get(0));
    String stateField = r.get(2) == null ? null : text(r.get(2));
    TaskState hashState = stateOrNull(stateField);
    TaskState state = hashState != null ? hashState : stateOrNull(r.get(5));
    if (state == null) {
      throw new TaskNotFoundException(queue, id);
    }
    List<String> problems = new ArrayList<>(0);
    if (keyType.equals("hash") && hashState == null) {
      problems.add(
          stateField == null
              ? "the task hash has no state field"
              : "the task hash's state field \"" + stateField + "\" is not a state");
    }
    TaskMessage message = message(queue, Keys.bytes(id), r.get(1), keyType, problems);
    if (!problems.isEmpty()) {
      warnOnce("taskInfo: task {} in queue \"{}\" is malformed: {}", id, queue, problems);
    }
    Instant next =
        switch (state) {
          case PENDING -> Instant.ofEpochSecond(now.getEpochSecond());
          case SCHEDULED, RETRY -> r.get(4) == null ? null : score(r.get(4));
          default -> null;
        };
    return new Found(message, state, next, false, (byte[]) r.get(3), problems);
  }

  /**
   * One page of the tasks in {@code state} (not aggregating), oldest first (spec §6.1). Every
   * listed ID is a row; bad ones carry their problems.
   *
   * @param start the 0-based rank of the first entry
   * @param stop the 0-based rank of the last entry, or -1 with start 0 for every entry
   */
  public List<Found> list(String queue, TaskState state, long start, long stop, Instant now) {
    String key = STATE_KEYS.get(state);
    if (key == null) {
      throw new IllegalArgumentException("cannot list " + state.wireName() + " tasks by state");
    }
    requireQueue(queue);
    boolean isList = state == TaskState.PENDING || state == TaskState.ACTIVE;
    return list(queue, Keys.queuePrefix(queue) + key, isList, state, start, stop, now);
  }

  /** One page of the tasks waiting in {@code group}, in the order they were added. */
  public List<Found> listGroup(String queue, String group, long start, long stop, Instant now) {
    requireQueue(queue);
    return list(queue, Keys.group(queue, group), false, TaskState.AGGREGATING, start, stop, now);
  }

  private List<Found> list(
      String queue,
      String container,
      boolean isList,
      TaskState state,
      long start,
      long stop,
      Instant now) {
    boolean active = state == TaskState.ACTIVE;
    String expected = isList ? "list" : "zset";
    List<byte[]> args =
        List.of(
            Keys.bytes(expected),
            number(start),
            number(stop),
            Keys.bytes(Keys.taskPrefix(queue)),
            Keys.bytes(active ? "1" : "0"));
    List<Object> r =
        run("listTasks", Script.LIST_TASKS, List.of(container, Keys.lease(queue)), args);
    List<Found> found = new ArrayList<>(r.size() / 5 + 2);
    String containerType = text(r.get(0));
    String leaseType = text(r.get(1));
    if (start == 0 && !containerType.equals(expected) && !containerType.equals("none")) {
      found.add(keyProblem(queue, state, wrongType(container, containerType, expected)));
    }
    if (start == 0 && active && !leaseType.equals("zset") && !leaseType.equals("none")) {
      String problem = wrongType(Keys.lease(queue), leaseType, "zset");
      found.add(keyProblem(queue, state, problem + "; orphaned tasks cannot be told"));
    }
    for (int i = 2; i + 4 < r.size(); i += 5) {
      List<String> problems = new ArrayList<>(0);
      TaskMessage message =
          message(queue, (byte[]) r.get(i), r.get(i + 1), text(r.get(i + 4)), problems);
      Object score = r.get(i + 3);
      Instant next =
          switch (state) {
            case PENDING -> now;
            case SCHEDULED, RETRY -> score == null ? null : score(score);
            default -> null;
          };
      boolean orphaned = active && score != null && wholeSeconds(score) <= now.getEpochSecond();
      found.add(new Found(message, state, next, orphaned, (byte[]) r.get(i + 2), problems));
    }
    warnBad("listTasks", queue, container, found);
    return found;
  }

  /**
   * Servers whose heartbeat is current, with their workers (spec §6.2 Servers), sorted by host, PID
   * and ID. Expired registry entries are pruned; a server whose key has expired meanwhile is left
   * out; bad records are rows with problems.
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
          run("servers", Script.READ_SERVER, List.of(serverKey, workersKey), List.of());
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
        .forEach(s -> warnOnce("servers: server {} is malformed: {}", s.id(), s.problems()));
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
   * The entries of every scheduler whose heartbeat is current (spec §6.2 SchedulerEntries), sorted
   * by spec, task type and ID. Option strings without {@code (} are left out; entries that do not
   * decode and keys of the wrong type are rows with problems.
   */
  public List<SchedulerEntry> schedulerEntries(Instant now) {
    List<SchedulerEntry> entries = new ArrayList<>();
    Live live = liveMembers(Keys.schedulers(), now);
    if (live.problem() != null) {
      entries.add(badEntry(live.problem()));
    }
    for (String key : live.members()) {
      String type = type("schedulerEntries", key);
      if (type.equals("none")) {
        continue; // expired since the registry was read
      }
      if (!type.equals("list")) {
        entries.add(badEntry(wrongType(key, type, "list")));
        continue;
      }
      List<Object> raw = broker.await(broker.send("schedulerEntries", Commands.lrange(key, 0, -1)));
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
        .forEach(e -> warnOnce("schedulerEntries: bad entry: {}", e.problems()));
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
    String type = type("schedulerHistory", key);
    if (!type.equals("zset")) {
      if (type.equals("none") || start > 0) {
        return List.of();
      }
      String problem = wrongType(key, type, "zset");
      warnOnce("schedulerHistory: {}", problem);
      return List.of(new SchedulerEnqueueEvent("", null, List.of(problem)));
    }
    List<Object> raw = new ArrayList<>();
    for (Object item :
        broker.await(
            broker.send("schedulerHistory", Commands.zrevrangeWithScores(key, start, stop)))) {
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
        warnOnce("schedulerHistory: {}", problem);
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
    String type = type("liveRegistry", registry);
    if (!type.equals("zset") && !type.equals("none")) {
      return new Live(wrongType(registry, type, "zset"), List.of());
    }
    List<Object> r =
        broker.await(
            broker.send(
                "liveRegistry",
                Commands.zrangeByScore(registry, Long.toString(now.getEpochSecond()), "+inf")));
    return new Live(null, r.stream().map(Broker::text).toList());
  }

  // ----------------------------------------------------------------------------------------------
  // Bad records

  /**
   * The message of a listed task, and what is wrong with its records added to {@code problems}: the
   * message as stored when it is good; else a message holding what could be read, with the ID
   * (readable) and queue of its key.
   */
  private static TaskMessage message(
      String queue, byte[] id, Object rawMsg, String keyType, List<String> problems) {
    String shownId = readable(id);
    TaskMessage stub = TaskMessage.newBuilder().setId(shownId).setQueue(queue).build();
    if (!isUtf8(id)) {
      problems.add("the task ID is not valid UTF-8");
    }
    String taskKey = Keys.taskPrefix(queue) + shownId;
    if (keyType.equals("none")) {
      problems.add("the ID is listed but " + taskKey + " does not exist");
      return stub;
    }
    if (!keyType.equals("hash")) {
      problems.add(wrongType(taskKey, keyType, "hash"));
      return stub;
    }
    MessageDecoding.Result decoded = MessageDecoding.decode((byte[]) rawMsg);
    if (decoded.message() == null) {
      problems.add(
          rawMsg == null ? decoded.error() : "the msg field does not decode: " + decoded.error());
      return stub;
    }
    TaskMessage m = decoded.message();
    if (!Arrays.equals(Keys.bytes(m.getId()), id) || !m.getQueue().equals(queue)) {
      problems.add(
          "the msg field names task \"" + m.getId() + "\" in queue \"" + m.getQueue() + "\"");
      return m.toBuilder().setId(shownId).setQueue(queue).build();
    }
    return m;
  }

  /** A row for a key of the listing itself that is bad: an empty ID and the problem. */
  private static Found keyProblem(String queue, TaskState state, String problem) {
    TaskMessage stub = TaskMessage.newBuilder().setId("").setQueue(queue).build();
    return new Found(stub, state, null, false, null, List.of(problem));
  }

  /**
   * Logs a problem a reader met: at WARN the first time this Inspector sees it, at DEBUG after (it
   * stays in the returned {@code problems()}), so a periodic reader does not repeat it.
   */
  private void warnOnce(String format, Object... args) {
    String message = org.slf4j.helpers.MessageFormatter.arrayFormat(format, args).getMessage();
    if (warned.size() > 10_000) {
      warned.clear(); // bounded: a flood of distinct problems is logged again, never leaked
    }
    if (warned.add(message)) {
      log.warn("{} (logged once; later reads log it at DEBUG)", message);
    } else {
      log.debug("{}", message);
    }
  }

  /** One WARN per listing with bad rows: how many, and the first with its reasons. */
  private void warnBad(String operation, String queue, String container, List<Found> rows) {
    List<Found> bad = rows.stream().filter(f -> !f.problems().isEmpty()).toList();
    if (!bad.isEmpty()) {
      warnOnce(
          "{}: {} malformed entries in {} of queue \"{}\"; the first, task \"{}\": {}",
          operation,
          bad.size(),
          container,
          queue,
          bad.get(0).message().getId(),
          bad.get(0).problems());
    }
  }

  private static String wrongType(String key, String type, String expected) {
    return key + " is a " + type + ", not a " + expected;
  }

  private static TaskState stateOrNull(Object wireName) {
    if (wireName == null) {
      return null;
    }
    String name = wireName instanceof byte[] b ? text(b) : wireName.toString();
    for (TaskState s : TaskState.values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private String type(String operation, String key) {
    return broker.await(broker.send(operation, Commands.type(key)));
  }

  /** UTF-8 text, with each byte that is not part of valid UTF-8 shown as {@code \xNN}. */
  static String readable(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    StringBuilder s = new StringBuilder(bytes.length);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      out.flip();
      s.append(out);
      out.clear();
      if (!result.isError()) {
        break;
      }
      for (int i = 0; i < result.length(); i++) {
        s.append(String.format(Locale.ROOT, "\\x%02x", in.get() & 0xff));
      }
    }
    return s.toString();
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Writes

  /**
   * Deletes, runs or archives one task (spec §3.24).
   *
   * @throws TaskNotFoundException if the queue has no such task
   * @throws TaskStateException if its state does not allow {@code action}
   */
  public void manageOne(Action action, String queue, String id, Instant now) {
    requireQueue(queue);
    long r = manage(action, queue, Keys.task(queue, id), "one", Keys.bytes(id), "", now);
    if (r == 1) {
      return;
    }
    throw switch ((int) r) {
      case 0 -> new TaskNotFoundException(queue, id);
      case -1 ->
          new TaskStateException(
              queue,
              id,
              TaskState.ACTIVE,
              switch (action) {
                case DELETE -> "cannot delete task in active state; cancel it instead";
                case RUN -> "task is already running";
                case ARCHIVE -> "cannot archive task in active state; cancel it instead";
              });
      case -2 ->
          new TaskStateException(queue, id, TaskState.PENDING, "task is already in pending state");
      case -3 -> new TaskStateException(queue, id, TaskState.ARCHIVED, "task is already archived");
      default ->
          new JasynqException(
              action.name().toLowerCase(java.util.Locale.ROOT)
                  + "Task failed: task "
                  + id
                  + " in queue \""
                  + queue
                  + "\" is not in the list or set of its state");
    };
  }

  /**
   * Deletes, runs or archives every task of {@code state}, or of {@code group} when {@code state}
   * is aggregating (spec §3.24).
   *
   * @return how many tasks were handled
   */
  public long manageAll(Action action, String queue, TaskState state, String group, Instant now) {
    requireQueue(queue);
    String source =
        state == TaskState.AGGREGATING
            ? Keys.group(queue, group)
            : Keys.queuePrefix(queue) + STATE_KEYS.get(state);
    return manage(
        action,
        queue,
        source,
        "all",
        Keys.bytes(state.wireName()),
        state == TaskState.AGGREGATING ? group : "",
        now);
  }

  private long manage(
      Action action,
      String queue,
      String target,
      String mode,
      byte[] subject,
      String group,
      Instant now) {
    List<String> keys =
        List.of(Keys.pending(queue), Keys.archived(queue), Keys.groups(queue), target);
    List<byte[]> args =
        List.of(
            Keys.bytes(action.name().toLowerCase(java.util.Locale.ROOT)),
            Keys.bytes(mode),
            subject,
            Keys.bytes(group),
            Keys.bytes(Keys.queuePrefix(queue)),
            number(now.getEpochSecond()),
            number(Broker.unixNanos(now)),
            number(now.minus(Broker.STATS_TTL).getEpochSecond()),
            number(Broker.ARCHIVE_MAX_SIZE));
    return broker.await(
        broker.runScript("manageTasks", Script.MANAGE_TASKS, keys, args, Commands::integerReply));
  }

  /**
   * Replaces a scheduled task's payload, keeping every other field of its message (spec §3.24).
   *
   * @return the updated task
   */
  public Found updatePayload(String queue, String id, byte[] payload, Instant now) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Found found = taskInfo(queue, id, now);
      if (!found.problems().isEmpty()) {
        throw new JasynqException(
            "updateTaskPayload failed: task "
                + id
                + " in queue \""
                + queue
                + "\" is malformed: "
                + String.join("; ", found.problems()));
      }
      if (found.state() != TaskState.SCHEDULED) {
        throw new TaskStateException(
            queue, id, found.state(), "cannot update task that is not in scheduled state");
      }
      TaskMessage updated =
          found.message().toBuilder().setPayload(ByteString.copyFrom(payload)).build();
      List<byte[]> args = List.of(found.message().toByteArray(), updated.toByteArray());
      long r =
          broker.await(
              broker.runScript(
                  "updateTaskPayload",
                  Script.REPLACE_SCHEDULED_MESSAGE,
                  List.of(Keys.task(queue, id)),
                  args,
                  Commands::integerReply));
      if (r == 1) {
        return new Found(
            updated, TaskState.SCHEDULED, found.nextProcessAt(), false, found.result());
      }
      // The task changed between the read and the write: read again, which reports what it is now.
    }
    throw new JasynqException(
        "updateTaskPayload failed: task " + id + " kept changing while being updated");
  }

  /** Pauses {@code queue} (spec §3.24); no queue check, as in Asynq. */
  public void pause(String queue, Instant now) {
    String ok =
        broker.await(
            broker.send(
                "pauseQueue",
                Commands.setIfAbsent(Keys.paused(queue), Long.toString(now.getEpochSecond()))));
    if (ok == null) {
      throw new QueueStateException(queue, "queue \"" + queue + "\" is already paused");
    }
  }

  /** Unpauses {@code queue} (spec §3.24). */
  public void unpause(String queue) {
    Long deleted =
        broker.await(broker.send("unpauseQueue", Commands.del(List.of(Keys.paused(queue)))));
    if (deleted == 0L) {
      throw new QueueStateException(queue, "queue \"" + queue + "\" is not paused");
    }
  }

  /**
   * Deletes a queue (spec §6.3 with the fix of §9.18). After the check, every key of the schema
   * goes: tasks in every container (batches of {@value #DELETE_BATCH}, each with its unique lock),
   * groups, aggregation sets, counters, daily stats of the last {@value #DAILY_STATS_DAYS} days and
   * the pause flag. A SCAN over {@code asynq:{Q}:*} then sweeps whatever else carries the queue's
   * prefix (on Cluster, on the master owning the queue's slot). Last, the queue leaves {@code
   * asynq:queues}.
   */
  public void deleteQueue(String queue, boolean force, Instant now) {
    deleteQueue(queue, force, now, true);
  }

  /** {@link #deleteQueue(String, boolean, Instant)}, the SCAN sweep optional (for tests). */
  void deleteQueue(String queue, boolean force, Instant now, boolean sweep) {
    requireQueue(queue);
    List<String> keys = stateKeys(queue).subList(0, 5); // completed does not count, as in Asynq
    long r =
        broker.await(
            broker.runScript(
                "deleteQueue",
                Script.CHECK_QUEUE_DELETABLE,
                keys,
                List.of(Keys.bytes(force ? "1" : "0")),
                Commands::integerReply));
    if (r == -1) {
      throw new QueueNotEmptyException(queue);
    }
    if (r == -2) {
      throw new QueueStateException(
          queue, "cannot delete queue \"" + queue + "\" with active tasks");
    }
    List<String> containers =
        List.of(
            Keys.pending(queue),
            Keys.active(queue),
            Keys.lease(queue),
            Keys.scheduled(queue),
            Keys.retry(queue),
            Keys.archived(queue),
            Keys.completed(queue),
            Keys.groups(queue),
            Keys.aggregationSets(queue));
    List<byte[]> args = List.of(Keys.bytes(Keys.queuePrefix(queue)), number(DELETE_BATCH));
    while (broker.await(
            broker.runScript(
                "deleteQueue", Script.DELETE_QUEUE_TASKS, containers, args, Commands::integerReply))
        > 0) {
      // next batch
    }
    List<String> fixed = new ArrayList<>(containers);
    fixed.add(Keys.paused(queue));
    fixed.add(Keys.processedTotal(queue));
    fixed.add(Keys.failedTotal(queue));
    LocalDate today = Broker.day(now);
    for (int i = -1; i <= DAILY_STATS_DAYS; i++) {
      fixed.add(Keys.processed(queue, today.minusDays(i)));
      fixed.add(Keys.failed(queue, today.minusDays(i)));
    }
    broker.await(broker.send("deleteQueue", Commands.del(fixed)));
    if (sweep) {
      nodes.deleteKeysWithPrefix("deleteQueue", Keys.queuePrefix(queue), DELETE_SCAN_COUNT);
    }
    broker.await(broker.send("deleteQueue", Commands.srem(Keys.queues(), queue)));
  }

  /** Escapes the characters SCAN's MATCH treats specially, so a queue name matches literally. */
  static String globEscape(String s) {
    return RedisNodes.globEscape(s);
  }

  // ----------------------------------------------------------------------------------------------

  /** The containers of a queue's states: pending, active, scheduled, retry, archived, completed. */
  private static List<String> stateKeys(String queue) {
    return List.of(
        Keys.pending(queue),
        Keys.active(queue),
        Keys.scheduled(queue),
        Keys.retry(queue),
        Keys.archived(queue),
        Keys.completed(queue));
  }

  private List<Object> run(String operation, Script script, List<String> keys, List<byte[]> args) {
    return broker.await(broker.runScript(operation, script, keys, args, Commands::arrayReply));
  }

  /** A zset score as an instant, or null when it is not a time (inf, nan, out of range). */
  private static Instant score(Object score) {
    double seconds = seconds(score);
    if (Double.isNaN(seconds) || Math.abs(seconds) > Instant.MAX.getEpochSecond()) {
      return null;
    }
    return Instant.ofEpochSecond((long) seconds);
  }

  /** A zset score (a bulk string; Asynq writes integers, a reader accepts floats), truncated. */
  private static long wholeSeconds(Object score) {
    return (long) seconds(score);
  }

  /** A score as RESP2 (text) or RESP3 (a double) gives it; NaN when it is not a number. */
  private static double seconds(Object score) {
    if (score instanceof Number n) {
      return n.doubleValue();
    }
    String text = text(score);
    return switch (text) {
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          yield Double.NaN;
        }
      }
    };
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static Optional<Instant> optionalInstant(Timestamp t) {
    return t.getSeconds() == GO_ZERO_TIME_SECONDS && t.getNanos() == 0
        ? Optional.empty()
        : Optional.of(instant(t));
  }
}

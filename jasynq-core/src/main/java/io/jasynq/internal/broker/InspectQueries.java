package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Inspection.STATE_KEYS;
import static io.jasynq.internal.broker.Inspection.isUtf8;
import static io.jasynq.internal.broker.Inspection.readable;
import static io.jasynq.internal.broker.Inspection.score;
import static io.jasynq.internal.broker.Inspection.stateKeys;
import static io.jasynq.internal.broker.Inspection.stateOrNull;
import static io.jasynq.internal.broker.Inspection.wholeSeconds;
import static io.jasynq.internal.broker.Inspection.wrongType;
import static io.jasynq.internal.broker.ScriptValues.number;
import static io.jasynq.internal.broker.ScriptValues.text;

import io.jasynq.DailyStats;
import io.jasynq.GroupInfo;
import io.jasynq.JasynqException;
import io.jasynq.QueueInfo;
import io.jasynq.QueueNotFoundException;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The Inspector's reads of queues and their tasks (wire-format §6), as Go Asynq's {@code
 * inspect.go} does them, with the fixes of wire-format §9: queue lists and stats, daily history,
 * groups, one task, and pages of tasks by state or group. Every script touches the keys of one
 * queue only (one slot on Cluster). A bad record is one bad row, never a failed page. Thread-safe;
 * every call blocks until Redis answers or the command timeout passes.
 */
public final class InspectQueries {
  /** IDs sampled per list, zset and group for the memory estimate (Asynq: 20). */
  static final int MEMORY_SAMPLE = 20;

  /** Groups sampled for the memory estimate (Asynq: 5). */
  static final int MEMORY_GROUP_SAMPLE = 5;

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
  }

  private final Inspection inspection;
  private final CommandRunner commands;

  /** Queries over {@code broker}'s connection; the caller keeps owning the broker. */
  public InspectQueries(Broker broker) {
    this(new Inspection(broker));
  }

  InspectQueries(Inspection inspection) {
    this.inspection = inspection;
    this.commands = inspection.commands();
  }

  /** What the Inspector's other parts share with these reads. */
  Inspection inspection() {
    return inspection;
  }

  /**
   * Every registered queue, sorted. A name that is not UTF-8 shows each bad byte as {@code \xNN}.
   *
   * @throws JasynqException if {@code asynq:queues} is not a set (nothing can be listed then)
   */
  public List<String> queues() {
    String type = inspection.type("queues", Keys.queues());
    if (!type.equals("set") && !type.equals("none")) {
      throw new JasynqException("queues failed: " + wrongType(Keys.queues(), type, "set"));
    }
    List<Object> members =
        commands.await(commands.send("queues", Commands.smembers(Keys.queues())));
    return members.stream().map(m -> readable((byte[]) m)).sorted().toList();
  }

  /** Throws {@link QueueNotFoundException} unless {@code queue} is in {@code asynq:queues}. */
  public void requireQueue(String queue) {
    inspection.requireQueue(queue);
  }

  /**
   * QueueInfo (wire-format §6.2): the counts in one script, then the memory estimate in a second.
   * Bad keys count 0 and are named in the problems; an estimate that fails is -1, with its reason.
   */
  public QueueInfo queueInfo(String queue, Instant now) {
    requireQueue(queue);
    LocalDate today = ScriptValues.day(now);
    List<String> keys = new ArrayList<>(stateKeys(queue));
    keys.add(Keys.processed(queue, today));
    keys.add(Keys.failed(queue, today));
    keys.add(Keys.processedTotal(queue));
    keys.add(Keys.failedTotal(queue));
    keys.add(Keys.paused(queue));
    keys.add(Keys.groups(queue));
    List<byte[]> args =
        List.of(Keys.bytes(Keys.taskPrefix(queue)), Keys.bytes(Keys.groupPrefix(queue)));
    List<Object> r = inspection.run("queueInfo", Script.QUEUE_INFO, keys, args);
    long[] n = new long[13];
    for (int i = 0; i < n.length; i++) {
      n[i] = (Long) r.get(i);
    }
    Duration latency = Duration.ZERO;
    if (r.get(13) != null) {
      try {
        long since = Long.parseLong(text(r.get(13)));
        latency = Duration.ofNanos(ScriptValues.unixNanos(now) - since);
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
      inspection.warnOnce("queueInfo: queue \"{}\" has bad keys: {}", queue, problems);
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
        commands.await(
            commands.runScript(
                "memoryUsage", Script.MEMORY_USAGE, keys, args, Commands::integerReply));
    return Math.max(0, bytes);
  }

  /**
   * Daily counters for today and the {@code days - 1} days before it, today first. A bad counter
   * counts 0 and is named in the day's problems.
   */
  public List<DailyStats> history(String queue, int days, Instant now) {
    requireQueue(queue);
    LocalDate today = ScriptValues.day(now);
    List<String> keys = new ArrayList<>(2 * days);
    for (int i = 0; i < days; i++) {
      LocalDate day = today.minusDays(i);
      keys.add(Keys.processed(queue, day));
      keys.add(Keys.failed(queue, day));
    }
    List<Object> r = inspection.run("history", Script.HISTORY, keys, List.of());
    List<DailyStats> stats = new ArrayList<>(days);
    for (int i = 0; i < days; i++) {
      List<String> problems = new ArrayList<>(0);
      for (int j = 1; j <= 3; j += 2) {
        if (r.get(4 * i + j) != null) {
          problems.add(readable((byte[]) r.get(4 * i + j)));
        }
      }
      if (!problems.isEmpty()) {
        inspection.warnOnce("history: queue \"{}\" has bad counters: {}", queue, problems);
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
        inspection.run(
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
      inspection.warnOnce("groups: queue \"{}\": {}", queue, problem);
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
        inspection.warnOnce("groups: queue \"{}\", group \"{}\": {}", queue, name, problems);
      }
      groups.add(new GroupInfo(name, (Long) r.get(i + 1), problems));
    }
    groups.sort(Comparator.comparing(GroupInfo::group));
    return groups;
  }

  /**
   * One task with the state its hash records (wire-format §6.2 GetTaskInfo). A task whose records
   * are bad is returned with its problems, in the state its hash names or else the state whose list
   * or set holds its ID.
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
    List<Object> r = inspection.run("taskInfo", Script.TASK_INFO, keys, args);
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
      inspection.warnOnce(
          "taskInfo: task {} in queue \"{}\" is malformed: {}", id, queue, problems);
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
   * One page of the tasks in {@code state} (not aggregating), oldest first (wire-format §6.1).
   * Every listed ID is a row; bad ones carry their problems.
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
        inspection.run("listTasks", Script.LIST_TASKS, List.of(container, Keys.lease(queue)), args);
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

  /** One WARN per listing with bad rows: how many, and the first with its reasons. */
  private void warnBad(String operation, String queue, String container, List<Found> rows) {
    List<Found> bad = rows.stream().filter(f -> !f.problems().isEmpty()).toList();
    if (!bad.isEmpty()) {
      inspection.warnOnce(
          "{}: {} malformed entries in {} of queue \"{}\"; the first, task \"{}\": {}",
          operation,
          bad.size(),
          container,
          queue,
          bad.get(0).message().getId(),
          bad.get(0).problems());
    }
  }
}

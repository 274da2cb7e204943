package io.jasynq.dashboard;

import io.jasynq.Inspector;
import io.jasynq.JasynqException;
import io.jasynq.Page;
import io.jasynq.QueueNotFoundException;
import io.jasynq.ServerInfo;
import io.jasynq.TaskInfo;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.WorkerInfo;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of the JSON API under {@code /api}: asynqmon's, then jasynq's own (config, task by ID,
 * searches, type breakdowns). Each handler reads or changes Redis through the {@link Inspector}
 * only. Thread-safe: immutable after construction.
 */
final class Api {
  private static final Logger log = LoggerFactory.getLogger(Api.class);

  static final List<TaskState> LISTABLE =
      List.of(
          TaskState.ACTIVE,
          TaskState.PENDING,
          TaskState.SCHEDULED,
          TaskState.RETRY,
          TaskState.ARCHIVED,
          TaskState.COMPLETED);
  private static final List<TaskState> DELETABLE =
      List.of(
          TaskState.PENDING,
          TaskState.SCHEDULED,
          TaskState.RETRY,
          TaskState.ARCHIVED,
          TaskState.COMPLETED);
  private static final List<TaskState> RUNNABLE =
      List.of(TaskState.SCHEDULED, TaskState.RETRY, TaskState.ARCHIVED);
  private static final List<TaskState> ARCHIVABLE =
      List.of(TaskState.PENDING, TaskState.SCHEDULED, TaskState.RETRY);

  /** Page size of the cancel-all walk through active tasks. */
  private static final int WALK_PAGE = 500;

  private final Inspector inspector;
  private final Clock clock;
  private final boolean readOnly;
  private final Set<String> readOnlyQueues;
  private final String version;
  private final String address;
  private final List<Route> routes = new ArrayList<>();

  Api(
      Inspector inspector,
      Clock clock,
      boolean readOnly,
      Set<String> readOnlyQueues,
      String version,
      String address,
      ScanJobs jobs) {
    this.inspector = inspector;
    this.clock = clock;
    this.readOnly = readOnly;
    this.readOnlyQueues = readOnlyQueues;
    this.version = version;
    this.address = address;
    queueRoutes();
    taskRoutes();
    groupRoutes();
    otherRoutes();
    routes.addAll(JobRoutes.of(jobs));
  }

  /** The route for {@code method} and {@code path} (below {@code /api}), or an ApiError 404/405. */
  Call match(String method, String path, HttpServletRequest request) {
    List<String> allowed = new ArrayList<>();
    for (Route r : routes) {
      Matcher m = r.match(path);
      if (m == null) {
        continue;
      }
      if (!r.method().equals(method)) {
        allowed.add(r.method());
        continue;
      }
      if (r.mutates()) {
        refuseIfReadOnly(m);
      }
      return new Call(request, m, r);
    }
    if (!allowed.isEmpty()) {
      throw new ApiError(
          405, "method " + method + " is not allowed on /api" + path + "; use " + allowed);
    }
    throw ApiError.notFound("no API route /api" + path);
  }

  private void refuseIfReadOnly(Matcher m) {
    if (readOnly) {
      throw ApiError.forbidden("read-only mode: the dashboard does not change Redis");
    }
    String queue = group(m, "qname");
    if (queue != null && readOnlyQueues.contains(queue)) {
      throw ApiError.forbidden(
          "read-only queue: queue \"" + queue + "\" is read-only (read_only_queues)");
    }
  }

  private static @Nullable String group(Matcher m, String name) {
    return m.pattern().pattern().contains("(?<" + name + ">") ? m.group(name) : null;
  }

  private void get(String template, Route.Handler h) {
    routes.add(Route.of("GET", template, false, h));
  }

  private void mutation(String method, String template, Route.Handler h) {
    routes.add(Route.of(method, template, true, h));
  }

  // ---------------------------------------------------------------------------------------------
  // Queues

  private void queueRoutes() {
    get(
        "/config",
        c -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("read_only", readOnly);
          m.put("read_only_queues", readOnlyQueues.stream().sorted().toList());
          m.put("version", version);
          m.put("csrf_header", Csrf.HEADER);
          return m;
        });
    get("/queues", c -> Map.of("queues", inspector.queues().stream().map(this::snapshot).toList()));
    get(
        "/queues/{qname}",
        c -> {
          String q = c.path("qname");
          int days = c.intParam("days", 10, 1, 90);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("current", withLimit(q, Views.queue(inspector.queueInfo(q))));
          m.put("history", inspector.history(q, days).stream().map(Views::day).toList());
          return m;
        });
    mutation(
        "DELETE",
        "/queues/{qname}",
        c -> {
          inspector.deleteQueue(c.path("qname"), c.boolParam("force", false));
          return null;
        });
    mutation(
        "POST",
        "/queues/{qname}:pause",
        c -> {
          inspector.pauseQueue(existing(c.path("qname")));
          return null;
        });
    mutation(
        "POST",
        "/queues/{qname}:resume",
        c -> {
          inspector.unpauseQueue(existing(c.path("qname")));
          return null;
        });
    mutation(
        "POST",
        "/queues/{qname}:limit",
        c -> {
          String q = existing(c.path("qname"));
          Call.LimitChange change = c.limitChange(); // all checked before anything is written
          if (change.setsConcurrency()) {
            inspector.setConcurrencyLimit(q, change.concurrency());
          }
          if (change.setsRate()) {
            inspector.setRateLimit(q, change.rate());
          }
          return null;
        });
    get(
        "/queue_stats",
        c -> {
          int days = c.intParam("days", 90, 1, 90);
          Map<String, Object> stats = new LinkedHashMap<>();
          for (String q : inspector.queues()) {
            try {
              stats.put(q, inspector.history(q, days).stream().map(Views::day).toList());
            } catch (QueueNotFoundException e) {
              // Deleted between the two reads: not a queue any more.
            }
          }
          return Map.of("stats", stats);
        });
  }

  /** {@code queue}, if it is registered; else a 404 (some Inspector writes do not check). */
  private String existing(String queue) {
    if (!inspector.queues().contains(queue)) {
      throw ApiError.notFound("queue \"" + queue + "\" does not exist");
    }
    return queue;
  }

  /**
   * A queue's snapshot with its {@code concurrency_limit} and {@code rate_limit}, for the routes
   * that show one queue (the overview's list leaves the limits out: two Redis calls fewer per queue
   * per refresh).
   */
  private Map<String, Object> detail(String queue) {
    return withLimit(queue, snapshot(queue));
  }

  /**
   * {@code snapshot} with the queue's concurrency and rate limits; one that cannot be read is a
   * problem. Two Redis calls: the Inspector reads each limit on its own.
   */
  private Map<String, Object> withLimit(String queue, Map<String, Object> snapshot) {
    try {
      Views.withLimit(snapshot, inspector.concurrencyLimit(queue));
    } catch (JasynqException e) {
      log.warn("Cannot read the concurrency limit of queue {}: {}", queue, e.getMessage());
      Views.withLimitProblem(
          snapshot, "concurrency_limit", "cannot read the concurrency limit: " + e.getMessage());
    }
    try {
      Views.withRateLimit(snapshot, inspector.rateLimit(queue));
    } catch (JasynqException e) {
      log.warn("Cannot read the rate limit of queue {}: {}", queue, e.getMessage());
      Views.withLimitProblem(
          snapshot, "rate_limit", "cannot read the rate limit: " + e.getMessage());
    }
    return snapshot;
  }

  /** A queue's snapshot; one that fails is a row with zero counts and the reason. */
  private Map<String, Object> snapshot(String queue) {
    try {
      return Views.queue(inspector.queueInfo(queue));
    } catch (JasynqException e) {
      log.warn("Cannot read queue {}: {}", queue, e.getMessage());
      return Views.brokenQueue(queue, "cannot read the queue: " + e.getMessage(), clock.instant());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Tasks

  private void taskRoutes() {
    get(
        "/queues/{qname}/{state}_tasks",
        c -> {
          String q = c.path("qname");
          TaskState s = state(c, LISTABLE);
          List<TaskInfo> tasks = inspector.listTasks(q, s, c.page());
          return taskList(q, tasks, s == TaskState.ACTIVE);
        });
    get(
        "/queues/{qname}/tasks/{task_id}",
        c -> {
          TaskInfo t = inspector.taskInfo(c.path("qname"), c.path("taskid"));
          return task(t, Payloads.DETAIL_PREVIEW_CHARS);
        });
    get(
        "/tasks/{task_id}",
        c -> {
          String id = c.path("taskid");
          List<Object> matches = new ArrayList<>();
          for (String q : inspector.queues()) {
            try {
              matches.add(task(inspector.taskInfo(q, id), Payloads.LIST_PREVIEW_CHARS));
            } catch (TaskNotFoundException | QueueNotFoundException e) {
              // Not in this queue.
            } catch (JasynqException e) {
              // One unreadable queue does not hide the task in the others.
              log.warn("Cannot look for task {} in queue {}: {}", id, q, e.getMessage());
            }
          }
          if (matches.isEmpty()) {
            throw ApiError.notFound("no queue has a task with id \"" + id + "\"");
          }
          return Map.of("matches", matches);
        });
    // Active tasks are cancelled, not deleted.
    mutation(
        "POST",
        "/queues/{qname}/active_tasks/{task_id}:cancel",
        c -> {
          existing(c.path("qname"));
          inspector.cancel(c.path("taskid"));
          return null;
        });
    mutation(
        "POST",
        "/queues/{qname}/active_tasks:cancel_all",
        c -> {
          cancelAll(c.path("qname"));
          return null;
        });
    mutation(
        "POST",
        "/queues/{qname}/active_tasks:batch_cancel",
        c -> batch(c, "canceled_ids", "error_ids", (q, id) -> inspector.cancel(id)));
    oneTaskActions("/queues/{qname}/{state}_tasks", true);
    allTaskActions();
  }

  /** Delete, run and archive of one task and of a batch, under {@code base} (a state or group). */
  private void oneTaskActions(String base, boolean checkState) {
    mutation(
        "DELETE",
        base + "/{task_id}",
        c -> {
          stateIf(checkState, c, DELETABLE);
          inspector.deleteTask(c.path("qname"), c.path("taskid"));
          return null;
        });
    mutation(
        "POST",
        base + "/{task_id}:run",
        c -> {
          stateIf(checkState, c, RUNNABLE);
          inspector.runTask(c.path("qname"), c.path("taskid"));
          return null;
        });
    mutation(
        "POST",
        base + "/{task_id}:archive",
        c -> {
          stateIf(checkState, c, ARCHIVABLE);
          inspector.archiveTask(c.path("qname"), c.path("taskid"));
          return null;
        });
    mutation(
        "POST",
        base + ":batch_delete",
        c -> {
          stateIf(checkState, c, DELETABLE);
          return batch(c, "deleted_ids", "failed_ids", inspector::deleteTask);
        });
    mutation(
        "POST",
        base + ":batch_run",
        c -> {
          stateIf(checkState, c, RUNNABLE);
          return batch(c, "pending_ids", "error_ids", inspector::runTask);
        });
    mutation(
        "POST",
        base + ":batch_archive",
        c -> {
          stateIf(checkState, c, ARCHIVABLE);
          return batch(c, "archived_ids", "error_ids", inspector::archiveTask);
        });
  }

  private void allTaskActions() {
    String base = "/queues/{qname}/{state}_tasks";
    mutation(
        "DELETE",
        base + ":delete_all",
        c -> Map.of("deleted", inspector.deleteAll(c.path("qname"), state(c, DELETABLE))));
    mutation(
        "POST",
        base + ":run_all",
        c -> {
          inspector.runAll(c.path("qname"), state(c, RUNNABLE));
          return null;
        });
    mutation(
        "POST",
        base + ":archive_all",
        c -> {
          inspector.archiveAll(c.path("qname"), state(c, ARCHIVABLE));
          return null;
        });
  }

  private void cancelAll(String queue) {
    existing(queue);
    List<String> ids = new ArrayList<>();
    for (Page p = Page.first(WALK_PAGE); ; p = p.next()) {
      List<TaskInfo> page = inspector.listTasks(queue, TaskState.ACTIVE, p);
      page.forEach(t -> ids.add(t.id()));
      if (page.size() < WALK_PAGE) {
        break;
      }
    }
    for (String id : ids) {
      if (!id.isEmpty()) {
        inspector.cancel(id);
      }
    }
  }

  /** Runs {@code action} on each of the body's task IDs; sorts them into done and failed. */
  private Object batch(
      Call c, String doneKey, String failedKey, BiConsumer<String, String> action) {
    String queue = existing(c.path("qname"));
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String id : c.taskIds()) {
      try {
        action.accept(queue, id);
        done.add(id);
      } catch (JasynqException | IllegalArgumentException e) {
        failed.add(id);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(doneKey, done);
    m.put(failedKey, failed);
    return m;
  }

  private Map<String, Object> taskList(String queue, List<TaskInfo> tasks, boolean active) {
    Map<String, WorkerInfo> workers = active ? workers() : Map.of();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "tasks",
        tasks.stream()
            .map(
                t ->
                    Views.task(
                        t, workers.get(t.id()), clock.instant(), Payloads.LIST_PREVIEW_CHARS))
            .toList());
    m.put("stats", detail(queue));
    return m;
  }

  private Map<String, Object> task(TaskInfo t, int limit) {
    WorkerInfo worker = t.state() == TaskState.ACTIVE ? workers().get(t.id()) : null;
    return Views.task(t, worker, clock.instant(), limit);
  }

  /** The running tasks the servers report, by task ID; empty when the servers cannot be read. */
  private Map<String, WorkerInfo> workers() {
    Map<String, WorkerInfo> m = new HashMap<>();
    try {
      for (ServerInfo s : inspector.servers()) {
        s.activeWorkers().forEach(w -> m.put(w.taskId(), w));
      }
    } catch (JasynqException e) {
      log.warn("Cannot read the servers for the active tasks' start times: {}", e.getMessage());
    }
    return m;
  }

  private static void stateIf(boolean check, Call c, List<TaskState> allowed) {
    if (check) {
      state(c, allowed);
    }
  }

  /** The {@code state} path variable, one of {@code allowed}; else a 404 naming them. */
  private static TaskState state(Call c, Collection<TaskState> allowed) {
    String raw = c.path("state");
    for (TaskState s : allowed) {
      if (s.wireName().equals(raw)) {
        return s;
      }
    }
    throw ApiError.notFound(
        "no API route for state \""
            + raw
            + "\" here; the state must be one of "
            + allowed.stream().map(TaskState::wireName).toList());
  }

  // ---------------------------------------------------------------------------------------------
  // Groups

  private void groupRoutes() {
    get(
        "/queues/{qname}/groups",
        c -> {
          String q = c.path("qname");
          existing(q);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("stats", detail(q));
          m.put("groups", inspector.groups(q).stream().map(Views::group).toList());
          return m;
        });
    String base = "/queues/{qname}/groups/{gname}/aggregating_tasks";
    get(
        base,
        c -> {
          String q = c.path("qname");
          List<TaskInfo> tasks = inspector.listAggregating(q, c.path("gname"), c.page());
          Map<String, Object> m = taskList(q, tasks, false);
          m.put("groups", inspector.groups(q).stream().map(Views::group).toList());
          return m;
        });
    oneTaskActions(base, false);
    groupAll(
        "DELETE",
        base + ":delete_all",
        (q, g) -> Map.of("deleted", inspector.deleteAllAggregating(q, g)));
    groupAll(
        "POST",
        base + ":run_all",
        (q, g) -> {
          inspector.runAllAggregating(q, g);
          return null;
        });
    groupAll(
        "POST",
        base + ":archive_all",
        (q, g) -> {
          inspector.archiveAllAggregating(q, g);
          return null;
        });
  }

  private void groupAll(String method, String template, BiFunction<String, String, Object> f) {
    mutation(method, template, c -> f.apply(c.path("qname"), c.path("gname")));
  }

  // ---------------------------------------------------------------------------------------------
  // Servers, schedulers, Redis

  private void otherRoutes() {
    get(
        "/servers",
        c -> Map.of("servers", inspector.servers().stream().map(Views::server).toList()));
    get(
        "/scheduler_entries",
        c -> Map.of("entries", inspector.schedulerEntries().stream().map(Views::entry).toList()));
    get(
        "/scheduler_entries/{entry_id}/enqueue_events",
        c ->
            Map.of(
                "events",
                inspector.schedulerHistory(c.path("entryid"), c.page()).stream()
                    .map(Views::event)
                    .toList()));
    get("/redis_info", c -> RedisInfoView.of(inspector, address));
  }
}

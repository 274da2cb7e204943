package io.jasynq.dashboard;

import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.QueueInfo;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Searches and type breakdowns: scans of one state of one queue that run in the background on the
 * dashboard's own small executor ({@value #MAX_RUNNING} at once, threads {@code
 * jasynq-dashboard-search-N}), page by page ({@value #PAGE_SIZE} tasks) through the Inspector's
 * ordinary listings, so Redis never runs one long command. Each job can be cancelled between pages;
 * finished jobs are forgotten {@link #KEEP_FINISHED} after they end.
 *
 * <p>Thread-safe: the registry is a concurrent map, each job's progress is atomics and lists
 * guarded by the job.
 */
final class ScanJobs implements AutoCloseable {
  static final int MAX_RUNNING = 2;

  /**
   * Tasks per page read. Each page is one script in Redis that costs about 7 µs per task, during
   * which Redis serves no one else: with 500 a scan held Redis ~3.5 ms at a time and other clients'
   * PINGs waited 3.1 ms (median) and 13.9 ms (p99) while it ran; with 100, 0.47 and 4.6 ms, for an
   * 8% slower scan (jasynq-bench {@code dashboard-1m}, 1,000,000 archived tasks).
   */
  static final int PAGE_SIZE = 100;

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  /** The most distinct task types a breakdown counts one by one; the rest count as "(other)". */
  static final int MAX_TYPES = 1000;

  static final String OTHER_TYPES = "(other)";
  static final Duration KEEP_FINISHED = Duration.ofMinutes(10);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ScanJobs.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a job computes, and the path of its resource. */
  enum Kind {
    SEARCH("searches"),
    TYPE_BREAKDOWN("type_breakdowns");

    private final String path;

    Kind(String path) {
      this.path = path;
    }

    String path() {
      return path;
    }
  }

  /** Where a search looks for its query. */
  enum Field {
    TYPE("type"),
    PAYLOAD("payload"),
    ANY("any");

    private final String wireName;

    Field(String wireName) {
      this.wireName = wireName;
    }

    String wireName() {
      return wireName;
    }
  }

  // Immutable after construction.
  private final Inspector inspector;
  private final Clock clock;
  private final IntConsumer beforePage;
  private final ThreadPoolExecutor executor;

  // Shared.
  private final Semaphore slots = new Semaphore(MAX_RUNNING);
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param beforePage called with the 1-based page number before each page is read; a test seam
   */
  ScanJobs(Inspector inspector, Clock clock, IntConsumer beforePage) {
    this.inspector = inspector;
    this.clock = clock;
    this.beforePage = beforePage;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            MAX_RUNNING,
            MAX_RUNNING,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "jasynq-dashboard-search-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /** Starts a search; returns its ID. */
  String startSearch(String queue, TaskState state, String query, Field in, int limit) {
    String needle = query.toLowerCase(Locale.ROOT);
    Predicate<TaskInfo> match =
        t ->
            switch (in) {
              case TYPE -> contains(t.type(), needle);
              case PAYLOAD -> contains(payloadText(t), needle);
              case ANY ->
                  contains(t.id(), needle)
                      || contains(t.type(), needle)
                      || contains(payloadText(t), needle);
            };
    return start(Kind.SEARCH, queue, state, match, limit);
  }

  /** Starts a breakdown by task type; returns its ID. */
  String startBreakdown(String queue, TaskState state) {
    return start(Kind.TYPE_BREAKDOWN, queue, state, null, 0);
  }

  private String start(
      Kind kind, String queue, TaskState state, @Nullable Predicate<TaskInfo> match, int limit) {
    if (closed) {
      throw new ApiError(503, "the dashboard is closed");
    }
    forgetOld();
    long total = count(inspector.queueInfo(queue), state); // 404 for an unknown queue
    if (!slots.tryAcquire()) {
      throw new ApiError(
          429, "too many scans: at most " + MAX_RUNNING + " searches or breakdowns run at once");
    }
    String id = newId();
    Job job = new Job(id, kind, queue, state, match, limit, total);
    jobs.put(id, job);
    try {
      executor.execute(() -> run(job));
    } catch (RuntimeException e) {
      jobs.remove(id);
      slots.release();
      throw new ApiError(503, "the dashboard is closed");
    }
    return id;
  }

  /** The job's progress and results. */
  Map<String, Object> view(Kind kind, String id) {
    return find(kind, id).view();
  }

  /** Asks the job to stop after the page it is reading; a finished job stays as it is. */
  void cancel(Kind kind, String id) {
    find(kind, id).cancelled = true;
  }

  private Job find(Kind kind, String id) {
    forgetOld();
    Job job = jobs.get(id);
    if (job == null || job.kind != kind) {
      throw ApiError.notFound(
          "no "
              + kind.path().replace('_', ' ')
              + " job with id \""
              + id
              + "\" (finished jobs are"
              + " kept "
              + KEEP_FINISHED.toMinutes()
              + " minutes)");
    }
    return job;
  }

  private void run(Job job) {
    try {
      for (int n = 1; ; n++) {
        if (job.cancelled) {
          job.status = "cancelled";
          return;
        }
        beforePage.accept(n);
        if (job.cancelled) {
          job.status = "cancelled";
          return;
        }
        List<TaskInfo> page = inspector.listTasks(job.queue, job.state, Page.of(n, PAGE_SIZE));
        for (TaskInfo t : page) {
          job.scanned.incrementAndGet();
          if (job.take(t, clock.instant())) {
            job.capped = true;
            job.status = "done";
            return;
          }
        }
        if (page.size() < PAGE_SIZE) {
          job.status = "done";
          return;
        }
      }
    } catch (RuntimeException e) {
      log.warn("Scan {} of queue {} failed: {}", job.id, job.queue, e.toString());
      job.error = e.getMessage() == null ? e.toString() : e.getMessage();
      job.status = "failed";
    } finally {
      job.finishedAt = clock.instant();
      slots.release();
    }
  }

  private void forgetOld() {
    Instant cutoff = clock.instant().minus(KEEP_FINISHED);
    jobs.values().removeIf(j -> j.finishedAt != null && j.finishedAt.isBefore(cutoff));
  }

  /** Cancels every job and waits (bounded) for the threads to end. Idempotent. */
  @Override
  public void close() {
    closed = true;
    jobs.values().forEach(j -> j.cancelled = true);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
        log.warn("Dashboard scans did not stop within {}", CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static long count(QueueInfo q, TaskState state) {
    return switch (state) {
      case ACTIVE -> q.active();
      case PENDING -> q.pending();
      case SCHEDULED -> q.scheduled();
      case RETRY -> q.retry();
      case ARCHIVED -> q.archived();
      case COMPLETED -> q.completed();
      case AGGREGATING -> q.aggregating();
    };
  }

  private static boolean contains(String haystack, String lowerNeedle) {
    return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(lowerNeedle);
  }

  private static String payloadText(TaskInfo t) {
    return new String(t.payload(), StandardCharsets.UTF_8);
  }

  private static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** One scan. Progress fields are written by its scanning thread and read by request threads. */
  private static final class Job {
    final String id;
    final Kind kind;
    final String queue;
    final TaskState state;
    final @Nullable Predicate<TaskInfo> match;
    final int limit;
    final long total;
    final AtomicLong scanned = new AtomicLong();
    volatile String status = "running";
    volatile boolean cancelled;
    volatile boolean capped;
    volatile @Nullable String error;
    volatile @Nullable Instant finishedAt;

    // Guarded by this.
    private final List<Map<String, Object>> matches = new ArrayList<>();
    private final Map<String, Long> types = new LinkedHashMap<>();

    Job(
        String id,
        Kind kind,
        String queue,
        TaskState state,
        @Nullable Predicate<TaskInfo> match,
        int limit,
        long total) {
      this.id = id;
      this.kind = kind;
      this.queue = queue;
      this.state = state;
      this.match = match;
      this.limit = limit;
      this.total = total;
    }

    /** Counts or keeps {@code t}; true when the job has all the matches it may keep. */
    synchronized boolean take(TaskInfo t, Instant now) {
      if (kind == Kind.TYPE_BREAKDOWN) {
        String type = t.problems().isEmpty() || !t.type().isEmpty() ? t.type() : "(malformed)";
        if (!types.containsKey(type) && types.size() >= MAX_TYPES) {
          type = OTHER_TYPES;
        }
        types.merge(type, 1L, Long::sum);
        return false;
      }
      if (Objects.requireNonNull(match).test(t)) {
        matches.add(Views.task(t, null, now, Payloads.LIST_PREVIEW_CHARS));
      }
      return matches.size() >= limit;
    }

    synchronized Map<String, Object> view() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("queue", queue);
      m.put("state", state.wireName());
      m.put("status", status);
      m.put("scanned", scanned.get());
      m.put("total", total);
      if (kind == Kind.SEARCH) {
        m.put("matches", List.copyOf(matches));
        m.put("capped", capped);
      } else {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(types.entrySet());
        sorted.sort(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> out = new LinkedHashMap<>();
        sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
        m.put("types", out);
      }
      m.put("error", error);
      return m;
    }
  }
}

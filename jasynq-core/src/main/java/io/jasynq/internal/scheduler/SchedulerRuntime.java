package io.jasynq.internal.scheduler;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.EnqueueOutcome;
import io.jasynq.internal.broker.SchedulerStore;
import io.jasynq.internal.broker.proto.SchedulerEnqueueEvent;
import io.jasynq.internal.broker.proto.SchedulerEntry;
import io.jasynq.internal.enqueue.EnqueueRequests;
import io.jasynq.internal.runtime.PeriodicPart;
import io.jasynq.internal.runtime.PeriodicRunner;
import io.jasynq.internal.runtime.ProcessIdentity;
import io.jasynq.internal.runtime.ThreadFactoryBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler's entries, its loop and its heartbeat (wire-format §7.1). The loop ({@code
 * jasynq-scheduler}) checks the entries every {@link #LOOP_INTERVAL} and enqueues those due; the
 * heartbeat ({@code jasynq-scheduler-heartbeat}) writes the entries with their next and previous
 * fire times, at start and then every interval (Asynq waits one interval first, wire-format §9.14).
 * Both are {@link PeriodicPart}s driven by a {@link PeriodicRunner}; tests call {@link #runOnce}
 * and {@link #beat} directly. Entries may be registered and removed from any thread.
 *
 * <p>Exactly once across schedulers: a tick is enqueued through {@link SchedulerStore#enqueueOnce},
 * which checks and sets the entry's fire record in the same script as the enqueue. Only the
 * scheduler that enqueued a tick records it in its entry's history. A tick whose enqueue failed in
 * Redis stays due and is tried again by the next pass, until the entry's next tick replaces it.
 */
public final class SchedulerRuntime {
  private static final Logger log = LoggerFactory.getLogger(SchedulerRuntime.class);

  /** How often the loop looks for due entries: ticks fire within this of their time. */
  public static final Duration LOOP_INTERVAL = Duration.ofMillis(100);

  /** How long stopping waits for a pass under way before interrupting it. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  /** The most ticks a pass walks to find the latest due one (a clock that jumped years). */
  private static final int MAX_TICK_WALK = 1_000_000;

  /** Zero time as Go writes it (wire-format §2.1): "never". */
  private static final Timestamp ZERO_TIME =
      Timestamp.newBuilder().setSeconds(-62135596800L).build();

  /** What the scheduler does around each enqueue; called on the loop thread. */
  public interface Hooks {
    /** Before an enqueue is attempted. */
    void beforeEnqueue(Task task, List<TaskOption> options);

    /**
     * After an enqueue this scheduler made: {@code outcome} null when {@code error} is set. Not
     * called for a tick another scheduler enqueued.
     */
    void afterEnqueue(
        EnqueueRequests.Prepared prepared, EnqueueOutcome outcome, RuntimeException error);
  }

  private final Broker broker;
  private final SchedulerStore store;
  private final Clock clock;
  private final ZoneId location;
  private final Duration heartbeatInterval;
  private final boolean catchUp;
  private final int maxPayloadSize;
  private final Hooks hooks;
  private final String schedulerId;
  private final ThreadFactoryBuilder threads;
  private final Object passLock = new Object(); // one pass at a time
  private volatile Thread passThread; // the thread in a pass, or null
  private final Map<String, Entry> entries = new LinkedHashMap<>(); // guarded by this
  private volatile PeriodicRunner runner; // null until started
  private final PeriodicPart loop = part("scheduler", this::runOnce);
  private final PeriodicPart heartbeat = part("scheduler heartbeat", this::beat);

  /**
   * @param catchUp whether a tick missed while no scheduler ran is enqueued once at start
   */
  public SchedulerRuntime(
      Broker broker,
      Clock clock,
      ZoneId location,
      Duration heartbeatInterval,
      boolean catchUp,
      int maxPayloadSize,
      Hooks hooks) {
    this.broker = broker;
    this.store = new SchedulerStore(broker);
    this.clock = clock;
    this.location = location;
    this.heartbeatInterval = heartbeatInterval;
    this.catchUp = catchUp;
    this.maxPayloadSize = maxPayloadSize;
    this.hooks = hooks;
    ProcessIdentity me = ProcessIdentity.current();
    this.schedulerId = me.host() + ":" + me.pid() + ":" + me.id();
    this.threads = new ThreadFactoryBuilder(me.tag());
  }

  /** {@code host:pid:uuid}, as in {@code asynq:schedulers:{…}}. */
  public String schedulerId() {
    return schedulerId;
  }

  /**
   * Adds an entry and returns its ID (a UUID).
   *
   * @throws IllegalArgumentException for an invalid spec, or options the enqueue would reject
   */
  public String register(String spec, Task task, List<TaskOption> options) {
    CronSchedule schedule = CronSchedule.parse(spec, location);
    Instant now = clock.instant();
    // Validates now what each tick would otherwise reject (payload size, a past deadline).
    EnqueueRequests.Prepared dryRun =
        EnqueueRequests.prepare(task, options.toArray(new TaskOption[0]), now, maxPayloadSize);
    if (dryRun.request().target() == io.jasynq.internal.broker.EnqueueRequest.Target.DEBOUNCED) {
      throw new IllegalArgumentException(
          "debounce is for bursts of events, not for periodic tasks: " + options);
    }
    Entry e =
        new Entry(
            UUID.randomUUID().toString(), schedule, task, options, dryRun.request().queue(), now);
    PeriodicRunner r = runner;
    if (r != null) {
      schedule(e, now);
    }
    synchronized (this) {
      entries.put(e.id, e);
    }
    if (r != null) {
      r.runNow(heartbeat);
    }
    return e.id;
  }

  /** Removes an entry; false if there is none with this ID. */
  public boolean unregister(String entryId) {
    Entry removed;
    synchronized (this) {
      removed = entries.remove(entryId);
    }
    PeriodicRunner r = runner;
    if (removed != null && r != null) {
      r.runNow(heartbeat);
    }
    return removed != null;
  }

  /** The IDs of the registered entries, in registration order. */
  public synchronized List<String> entryIds() {
    return List.copyOf(entries.keySet());
  }

  /** Computes every entry's first fire time, then starts the loop and the heartbeat threads. */
  public void start() {
    Instant now = clock.instant();
    for (Entry e : snapshot()) {
      schedule(e, now);
    }
    PeriodicRunner r = new PeriodicRunner(clock, threads, broker::connectionGone);
    runner = r;
    r.schedule(heartbeat, Duration.ZERO, heartbeatInterval);
    r.schedule(loop, LOOP_INTERVAL, LOOP_INTERVAL);
  }

  /**
   * Stops the loop and the heartbeat (waiting for a pass under way), then clears the entries and
   * the history of every still-registered entry (wire-format §7.1 shutdown). Never throws.
   */
  public void shutdown() {
    PeriodicRunner r = runner;
    if (r != null) {
      r.shutdown(STOP_TIMEOUT);
    }
    List<String> ids = entryIds();
    try {
      broker.await(
          CompletableFuture.allOf(store.clearEntries(schedulerId), store.clearHistory(ids)));
    } catch (RuntimeException e) {
      log.debug("clearing scheduler {} failed; its entries expire on their own", schedulerId, e);
    }
  }

  /** One loop pass: enqueues every entry due at {@code now} once, for its latest due tick. */
  public void runOnce(Instant now) {
    synchronized (passLock) {
      passThread = Thread.currentThread();
      try {
        pass(now);
      } finally {
        passThread = null;
      }
    }
  }

  /** Whether the caller is inside a pass (a callback), which stopping would wait for. */
  public boolean inPass() {
    return passThread == Thread.currentThread();
  }

  private void pass(Instant now) {
    List<Fired> fired = new ArrayList<>();
    for (Entry e : snapshot()) {
      if (!e.scheduled) {
        schedule(e, now); // registered before any start: its time counts from here
        continue;
      }
      Instant tick = e.next;
      if (tick == null || tick.isAfter(now)) {
        continue;
      }
      Instant following = e.schedule.next(tick);
      for (int i = 0; following != null && !following.isAfter(now) && i < MAX_TICK_WALK; i++) {
        tick = following; // several ticks passed (a pause): fire once, for the latest
        following = e.schedule.next(tick);
      }
      if (following != null && !following.isAfter(now)) {
        following = e.schedule.next(now); // the walk gave up: go on from now
      }
      Instant before = e.prev;
      e.prev = tick;
      e.next = following;
      Fired f = fire(e, tick, before, now);
      if (f != null) {
        fired.add(f);
      }
    }
    for (Fired f : fired) {
      settle(f, now);
    }
  }

  /** A tick being enqueued; {@code before} is the entry's previous tick, restored on failure. */
  private record Fired(
      Entry entry,
      Instant tick,
      Instant before,
      EnqueueRequests.Prepared prepared,
      CompletableFuture<EnqueueOutcome> outcome) {}

  private Fired fire(Entry e, Instant tick, Instant before, Instant now) {
    try {
      hooks.beforeEnqueue(e.task, e.options);
    } catch (RuntimeException ex) {
      log.warn("pre-enqueue callback of scheduler entry {} failed", e.id, ex);
    }
    EnqueueRequests.Prepared p;
    try {
      p =
          EnqueueRequests.prepare(
              e.task, e.options.toArray(new TaskOption[0]), now, maxPayloadSize);
    } catch (RuntimeException ex) {
      after(e, null, null, ex);
      return null;
    }
    long gap = e.gapSeconds;
    return new Fired(
        e,
        tick,
        before,
        p,
        store.enqueueOnce(p.request(), e.identity, tick.getEpochSecond(), gap, e.recordTtl));
  }

  private void settle(Fired f, Instant now) {
    EnqueueOutcome outcome;
    try {
      outcome = broker.await(f.outcome());
    } catch (RuntimeException ex) {
      boolean again = f.tick().equals(f.entry().failing);
      retryLater(f);
      if (again) {
        log.debug("scheduler entry {} still cannot enqueue: {}", f.entry().id, ex.toString());
        report(f.entry(), f.prepared(), null, ex);
      } else {
        after(f.entry(), f.prepared(), null, ex);
      }
      return;
    }
    f.entry().failing = null;
    if (outcome == null) {
      log.debug("entry {}: another scheduler enqueued this tick", f.entry().id);
      return;
    }
    after(f.entry(), f.prepared(), outcome, null);
    if (outcome != EnqueueOutcome.ENQUEUED) {
      return;
    }
    SchedulerEnqueueEvent event =
        SchedulerEnqueueEvent.newBuilder()
            .setTaskId(f.prepared().request().id())
            .setEnqueueTime(timestamp(now))
            .build();
    try {
      broker.await(store.recordEvent(f.entry().id, event, f.entry().historyTtl));
    } catch (RuntimeException ex) {
      if (broker.connectionGone(ex)) { // its owner closed it: expected until close()
        log.debug("recording the enqueue of entry {} failed: connection closed", f.entry().id, ex);
      } else {
        log.warn("recording the enqueue of entry {} in its history failed", f.entry().id, ex);
      }
    }
  }

  /**
   * Redis did not take the tick (unreachable, failing over): it stays due, so the next pass tries
   * it again, until the entry's next tick is due and replaces it. Trying again cannot enqueue it
   * twice: the fire record turns a second attempt at a tick that did land into a no-op.
   */
  private static void retryLater(Fired f) {
    Entry e = f.entry();
    e.next = f.tick();
    e.prev = f.before();
    e.failing = f.tick();
  }

  private void after(
      Entry e, EnqueueRequests.Prepared p, EnqueueOutcome outcome, RuntimeException error) {
    if (error != null) {
      if (broker.connectionGone(error)) {
        log.debug("scheduler entry {} could not enqueue: the connection is closed", e.id, error);
      } else {
        log.warn(
            "scheduler entry {} ({}) could not enqueue{}: {}",
            e.id,
            e.schedule,
            e.failing == null ? "" : " (trying again until its next tick)",
            error.toString());
      }
    }
    report(e, p, outcome, error);
  }

  private void report(
      Entry e, EnqueueRequests.Prepared p, EnqueueOutcome outcome, RuntimeException error) {
    try {
      hooks.afterEnqueue(p, outcome, error);
    } catch (RuntimeException ex) {
      log.warn("post-enqueue callback of scheduler entry {} failed", e.id, ex);
    }
  }

  /**
   * Writes every entry with its fire times (wire-format §3.20), with a TTL of twice the interval.
   */
  public void beat(Instant now) {
    List<SchedulerEntry> list = new ArrayList<>();
    for (Entry e : snapshot()) {
      SchedulerEntry.Builder b =
          SchedulerEntry.newBuilder()
              .setId(e.id)
              .setSpec(e.schedule.spec())
              .setTaskType(e.task.type())
              .addAllEnqueueOptions(e.optionStrings)
              .setNextEnqueueTime(timestamp(e.next))
              .setPrevEnqueueTime(timestamp(e.prev));
      byte[] payload = e.task.payload();
      if (payload != null) {
        b.setTaskPayload(ByteString.copyFrom(payload));
      }
      list.add(b.build());
    }
    broker.await(store.writeEntries(schedulerId, list, now, heartbeatInterval.multipliedBy(2)));
  }

  private void schedule(Entry e, Instant now) {
    Instant next = e.schedule.next(now);
    if (catchUp) {
      Instant missed = latestMissed(e, now);
      if (missed != null) {
        next = missed; // due now: the next pass enqueues it
      }
    }
    e.next = next;
    e.scheduled = true;
  }

  /** The latest tick after the last one any scheduler enqueued and not after now, or null. */
  private Instant latestMissed(Entry e, Instant now) {
    Long last;
    try {
      last = broker.await(store.lastFired(e.queue, e.identity));
    } catch (RuntimeException ex) {
      log.warn("reading the last tick of entry {} failed; no catch-up", e.id, ex);
      return null;
    }
    if (last == null) {
      return null;
    }
    Instant missed = null;
    Instant t = e.schedule.next(Instant.ofEpochSecond(last));
    for (int i = 0; t != null && !t.isAfter(now) && i < MAX_TICK_WALK; i++) {
      missed = t;
      t = e.schedule.next(t);
    }
    return missed;
  }

  private synchronized List<Entry> snapshot() {
    return new ArrayList<>(entries.values());
  }

  private static Timestamp timestamp(Instant t) {
    return t == null
        ? ZERO_TIME
        : Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  /** A named pass for the runner. */
  private interface Pass {
    void run(Instant now) throws Exception;
  }

  private static PeriodicPart part(String name, Pass pass) {
    return new PeriodicPart() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void runOnce(Instant now) throws Exception {
        pass.run(now);
      }
    };
  }
}

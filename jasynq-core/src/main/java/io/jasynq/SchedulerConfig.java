package io.jasynq;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Scheduler} runs: the zone specs are evaluated in, the heartbeat interval, callbacks
 * around each enqueue and what happens to ticks missed while no scheduler ran. Immutable; built by
 * a validating {@link Builder}.
 *
 * <pre>{@code
 * SchedulerConfig config = SchedulerConfig.builder()
 *     .location(ZoneId.of("Europe/Berlin"))
 *     .postEnqueue((info, error) -> { if (error != null) alert(error); })
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class SchedulerConfig {
  /** Default heartbeat interval: 10 s, as Asynq v0.25.1+. Entries live twice as long. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  /** What happens to ticks whose time passed while no scheduler with the entry was running. */
  public enum MissedTickPolicy {
    /**
     * They are not enqueued (the default, as Asynq). The first tick after start is the next one
     * from then on.
     */
    SKIP,
    /**
     * The latest missed tick is enqueued once at start, if Redis still holds the entry's last
     * enqueued tick (kept at least 7 days, or two periods for rarer entries). Older ones are
     * skipped. With several schedulers, still only one enqueues it.
     */
    FIRE_ONCE
  }

  private final Clock clock;
  private final ZoneId location;
  private final Duration heartbeatInterval;
  private final @Nullable BiConsumer<Task, List<TaskOption>> preEnqueue;
  private final @Nullable BiConsumer<TaskInfo, RuntimeException> postEnqueue;
  private final MissedTickPolicy missedTickPolicy;

  private SchedulerConfig(Builder b) {
    this.clock = b.clock;
    this.location = b.location;
    this.heartbeatInterval = b.heartbeatInterval;
    this.preEnqueue = b.preEnqueue;
    this.postEnqueue = b.postEnqueue;
    this.missedTickPolicy = b.missedTickPolicy;
  }

  /** The defaults: UTC, a 10 s heartbeat, no callbacks, missed ticks skipped. */
  public static SchedulerConfig defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.clock = clock;
    b.location = location;
    b.heartbeatInterval = heartbeatInterval;
    b.preEnqueue = preEnqueue;
    b.postEnqueue = postEnqueue;
    b.missedTickPolicy = missedTickPolicy;
    return b;
  }

  /** The clock; default the system UTC clock. */
  public Clock clock() {
    return clock;
  }

  /** The zone specs without a {@code CRON_TZ=}/{@code TZ=} prefix are evaluated in; default UTC. */
  public ZoneId location() {
    return location;
  }

  /** How often entries are written for Inspectors; default {@link #DEFAULT_HEARTBEAT_INTERVAL}. */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** Called before each enqueue, or null. */
  public @Nullable BiConsumer<Task, List<TaskOption>> preEnqueue() {
    return preEnqueue;
  }

  /** Called after each enqueue this scheduler made, or null. */
  public @Nullable BiConsumer<TaskInfo, RuntimeException> postEnqueue() {
    return postEnqueue;
  }

  /** The missed-tick policy; default {@link MissedTickPolicy#SKIP}. */
  public MissedTickPolicy missedTickPolicy() {
    return missedTickPolicy;
  }

  @Override
  public String toString() {
    return "SchedulerConfig[location="
        + location
        + ", heartbeatInterval="
        + heartbeatInterval
        + ", missedTickPolicy="
        + missedTickPolicy
        + "]";
  }

  /** Builds a {@link SchedulerConfig}; not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private ZoneId location = ZoneOffset.UTC;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private @Nullable BiConsumer<Task, List<TaskOption>> preEnqueue;
    private @Nullable BiConsumer<TaskInfo, RuntimeException> postEnqueue;
    private MissedTickPolicy missedTickPolicy = MissedTickPolicy.SKIP;

    private Builder() {}

    /** The clock for fire times and enqueues; default the system UTC clock. For tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The default zone of specs; default UTC. */
    public Builder location(ZoneId location) {
      this.location = Objects.requireNonNull(location, "location == null");
      return this;
    }

    /**
     * How often the entries are written to Redis, where {@code asynq cron ls} and Inspectors read
     * them; at least 1 s. They are first written at start.
     */
    public Builder heartbeatInterval(Duration interval) {
      Objects.requireNonNull(interval, "heartbeatInterval == null");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "heartbeatInterval must be at least 1s (Redis expiries are whole seconds), was "
                + interval);
      }
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * Called on the scheduler's thread before each enqueue with the task and the options it was
     * registered with (Asynq's PreEnqueueFunc). An exception is logged and the enqueue goes on.
     */
    public Builder preEnqueue(BiConsumer<Task, List<TaskOption>> callback) {
      this.preEnqueue = Objects.requireNonNull(callback, "preEnqueue == null");
      return this;
    }

    /**
     * Called on the scheduler's thread after each enqueue this scheduler made (Asynq's
     * PostEnqueueFunc): with the task's info, or with the error ({@link DuplicateTaskException},
     * {@link TaskIdConflictException}, {@link JasynqException}, {@link IllegalArgumentException}).
     * Not called for a tick that another scheduler with the same entry enqueued first. Called for
     * each attempt: a tick Redis did not take is tried again by the next pass.
     */
    public Builder postEnqueue(BiConsumer<TaskInfo, RuntimeException> callback) {
      this.postEnqueue = Objects.requireNonNull(callback, "postEnqueue == null");
      return this;
    }

    /**
     * What happens to ticks missed while no scheduler ran; default {@link MissedTickPolicy#SKIP}.
     */
    public Builder missedTickPolicy(MissedTickPolicy policy) {
      this.missedTickPolicy = Objects.requireNonNull(policy, "missedTickPolicy == null");
      return this;
    }

    /** The configuration. */
    public SchedulerConfig build() {
      return new SchedulerConfig(this);
    }
  }
}

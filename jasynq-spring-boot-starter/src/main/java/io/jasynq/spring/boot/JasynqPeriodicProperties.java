package io.jasynq.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jasynq.periodic.*} and {@code jasynq.scheduler.*} settings: periodic tasks declared in
 * configuration, and whether the scheduler runs. Bound once at start; not thread-safe while being
 * bound.
 *
 * <pre>
 * jasynq.periodic.daily-report.cron=0 9 * * MON-FRI
 * jasynq.periodic.daily-report.zone=Europe/Berlin
 * jasynq.periodic.daily-report.type=report:daily
 * jasynq.periodic.daily-report.payload={"format":"pdf"}
 * jasynq.periodic.daily-report.queue=low
 * </pre>
 *
 * @since 0.1
 */
@ConfigurationProperties("jasynq")
public class JasynqPeriodicProperties {
  private Map<String, Entry> periodic = new LinkedHashMap<>();
  private final Scheduler scheduler = new Scheduler();

  /** Creates empty settings; Spring binds them. */
  public JasynqPeriodicProperties() {}

  /** Periodic tasks by name, in binding order; mutable while binding. */
  public Map<String, Entry> getPeriodic() {
    return periodic;
  }

  /** Sets the periodic tasks. */
  public void setPeriodic(Map<String, Entry> periodic) {
    this.periodic = periodic == null ? new LinkedHashMap<>() : new LinkedHashMap<>(periodic);
  }

  /** How the scheduler runs. */
  public Scheduler getScheduler() {
    return scheduler;
  }

  /**
   * The scheduler's settings.
   *
   * @since 0.1
   */
  public static class Scheduler {
    /**
     * Whether to run a scheduler. Unset: run one when at least one periodic task is declared
     * (jasynq.periodic.* or @Periodic). false: no Scheduler bean, periodic tasks are ignored. true:
     * run one even without declared tasks (for entries registered on the Scheduler bean).
     */
    private @Nullable Boolean enabled;

    /** Creates the default settings. */
    public Scheduler() {}

    /** Whether to run a scheduler; null when unset (decided by the tasks declared). */
    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    /** Sets whether to run a scheduler. */
    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }
  }

  /**
   * One periodic task.
   *
   * @since 0.1
   */
  public static class Entry {
    /** The cron spec, e.g. "0 9 * * MON-FRI", "@daily" or "@every 30s". Required. */
    private @Nullable String cron;

    /** The task type, e.g. "report:daily". Required. */
    private @Nullable String type;

    /** The payload as UTF-8 text, e.g. JSON. Unset: no payload. */
    private @Nullable String payload;

    /** The queue. Unset: "default". */
    private @Nullable String queue;

    /** The IANA zone the spec is evaluated in, e.g. "Europe/Berlin". Unset: UTC. */
    private @Nullable String zone;

    /** Creates an empty entry. */
    public Entry() {}

    /** The cron spec, or null. */
    public @Nullable String getCron() {
      return cron;
    }

    /** Sets the cron spec. */
    public void setCron(@Nullable String cron) {
      this.cron = cron;
    }

    /** The task type, or null. */
    public @Nullable String getType() {
      return type;
    }

    /** Sets the task type. */
    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** The payload, or null. */
    public @Nullable String getPayload() {
      return payload;
    }

    /** Sets the payload. */
    public void setPayload(@Nullable String payload) {
      this.payload = payload;
    }

    /** The queue, or null. */
    public @Nullable String getQueue() {
      return queue;
    }

    /** Sets the queue. */
    public void setQueue(@Nullable String queue) {
      this.queue = queue;
    }

    /** The zone, or null. */
    public @Nullable String getZone() {
      return zone;
    }

    /** Sets the zone. */
    public void setZone(@Nullable String zone) {
      this.zone = zone;
    }
  }
}

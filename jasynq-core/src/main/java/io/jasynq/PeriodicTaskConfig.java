package io.jasynq;

import java.util.List;
import java.util.Objects;

/**
 * One periodic task of a {@link PeriodicTaskConfigProvider}: a cron spec, the task and the options
 * it is registered with. Two configs with the same spec, task type, payload, headers, task options
 * and options (in any order) are the same entry to the {@link PeriodicTaskManager}, which keeps its
 * entry ID and history across syncs.
 *
 * @param cronSpec the {@linkplain CronSpec cron spec}; not blank
 * @param task the task
 * @param options applied after the task's own; unmodifiable
 * @since 0.1
 */
public record PeriodicTaskConfig(String cronSpec, Task task, List<TaskOption> options) {
  /**
   * Checks the config as Asynq does: a spec that is not blank and a task. The spec's grammar is
   * checked when the manager registers it.
   *
   * @throws IllegalArgumentException if the spec is blank
   * @throws NullPointerException if an argument or an option is null
   */
  public PeriodicTaskConfig {
    Objects.requireNonNull(cronSpec, "cronSpec == null");
    if (cronSpec.isBlank()) {
      throw new IllegalArgumentException("cronSpec must not be blank, was \"" + cronSpec + "\"");
    }
    Objects.requireNonNull(task, "task == null");
    options = List.copyOf(Objects.requireNonNull(options, "options == null"));
  }

  /** A config with these options. */
  public static PeriodicTaskConfig of(String cronSpec, Task task, TaskOption... options) {
    return new PeriodicTaskConfig(cronSpec, task, List.of(options));
  }
}

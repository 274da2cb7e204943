package io.jasynq;

import java.util.List;

/**
 * Where a {@link PeriodicTaskManager} reads its periodic tasks: a database, a file, a configuration
 * service. Called at start and then every sync interval, on the manager's thread.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface PeriodicTaskConfigProvider {
  /**
   * The periodic tasks that should be registered now.
   *
   * @throws Exception if they cannot be read: at start the manager fails, at a sync it keeps the
   *     current entries until the next one
   */
  List<PeriodicTaskConfig> getConfigs() throws Exception;
}

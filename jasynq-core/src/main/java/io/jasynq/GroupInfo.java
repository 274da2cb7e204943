package io.jasynq;

import java.util.List;

/**
 * A group of a queue and how many tasks wait in it to be aggregated.
 *
 * <p>A group whose key is not a sorted set has size 0 and a problem; a group name that is not UTF-8
 * shows each bad byte as {@code \xNN} and has a problem; a group registry ({@code
 * asynq:{Q}:groups}) of the wrong type gives one row with an empty name and a problem.
 *
 * @param group the group name
 * @param size the tasks waiting in it
 * @param problems what is wrong with the group's keys, one line each (empty when nothing is);
 *     unmodifiable; since 0.2
 * @since 0.1
 */
public record GroupInfo(String group, long size, List<String> problems) {
  /** Copies the problems. */
  public GroupInfo {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** A group without problems (the 0.1 constructor). */
  public GroupInfo(String group, long size) {
    this(group, size, List.of());
  }
}

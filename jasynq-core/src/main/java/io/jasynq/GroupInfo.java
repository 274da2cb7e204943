package io.jasynq;

/**
 * A group of a queue and how many tasks wait in it to be aggregated.
 *
 * @param group the group name
 * @param size the tasks waiting in it
 * @since 0.1
 */
public record GroupInfo(String group, long size) {}

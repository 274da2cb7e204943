package io.jasynq.internal.broker;

/**
 * A record a server-side script set aside instead of acting on it (issue 10): an ID whose task key
 * is not a hash, or whose hash names another state that also holds it. The script removed the ID
 * from the list or set it was found in and left the task key itself alone; the caller logs the
 * reason at WARN.
 *
 * @param queue the queue
 * @param id the task ID
 * @param reason what was wrong and what was done, naming the keys
 */
public record Isolated(String queue, String id, String reason) {}

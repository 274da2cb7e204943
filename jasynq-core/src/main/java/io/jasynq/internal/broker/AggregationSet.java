package io.jasynq.internal.broker;

import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Instant;
import java.util.List;

/**
 * The tasks taken from a group for one aggregation, read by {@link Broker#readAggregationSet}. A
 * member whose stored message does not decode, or whose task hash is gone, does not fail the read:
 * it is listed in {@code unreadable}, and the caller archives it with {@link
 * Broker#archiveMalformedMember} (a dangling ID needs nothing: deleting or reclaiming the set drops
 * it).
 *
 * @param queue the queue
 * @param group the group the tasks came from
 * @param setKey the set's key, {@code asynq:{Q}:g:<group>:<setID>}
 * @param deadline when the recoverer may give the tasks back to the group (whole seconds)
 * @param messages the decoded messages, oldest first
 * @param unreadable the members that could not be read, oldest first
 */
public record AggregationSet(
    String queue,
    String group,
    String setKey,
    Instant deadline,
    List<TaskMessage> messages,
    List<Unreadable> unreadable) {

  public AggregationSet {
    messages = List.copyOf(messages);
    unreadable = List.copyOf(unreadable);
  }

  /**
   * A member that could not be read.
   *
   * @param id the task ID
   * @param rawMessage the stored {@code msg} bytes; null if the hash has no {@code msg} field or is
   *     gone
   * @param reason why it could not be read
   * @param dangling true when the ID has no task hash at all
   */
  public record Unreadable(String id, byte[] rawMessage, String reason, boolean dangling) {}
}

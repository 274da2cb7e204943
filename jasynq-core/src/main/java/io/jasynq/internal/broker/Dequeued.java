package io.jasynq.internal.broker;

import io.jasynq.internal.broker.proto.TaskMessage;

/**
 * A task that {@link Broker#dequeue} made active: it is in {@code active} and holds a lease. When
 * its stored message is unusable, {@code message} is null and {@code decodeError} says why; the
 * caller then archives it with {@link Broker#archiveMalformed} under this key's queue and ID, and
 * never runs it.
 *
 * @param queue the queue it came from
 * @param id the task ID
 * @param rawMessage the stored {@code msg} bytes, or null if the hash had no {@code msg} field
 * @param message the decoded message, or null if it is unusable
 * @param decodeError why it is unusable (it does not decode, or its id, queue or type do not match
 *     its key: see {@link MessageDecoding}), or null if it is usable
 * @param pendingSince when the task last became pending (its {@code pending_since}), or null if
 *     that was not recorded
 */
public record Dequeued(
    String queue,
    String id,
    byte[] rawMessage,
    TaskMessage message,
    String decodeError,
    java.time.Instant pendingSince) {

  static Dequeued of(String queue, String id, byte[] raw, java.time.Instant pendingSince) {
    MessageDecoding.Result r = MessageDecoding.decode(queue, id, raw);
    return new Dequeued(queue, id, raw, r.message(), r.error(), pendingSince);
  }
}

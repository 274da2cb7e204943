package io.jasynq.internal.broker;

import io.jasynq.internal.broker.proto.TaskMessage;

/**
 * An active task whose lease has run out, found by {@link Broker#listLeaseExpired}. When its stored
 * message is unusable, {@code message} is null and {@code decodeError} says why; the caller then
 * archives it with {@link Broker#archiveMalformed} under this key's queue and ID instead of failing
 * the others.
 *
 * @param queue the queue
 * @param id the task ID
 * @param rawMessage the stored {@code msg} bytes, or null if the hash had no {@code msg} field
 * @param message the decoded message, or null if it is unusable
 * @param decodeError why it is unusable (it does not decode, or its id, queue or type do not match
 *     its key: see {@link MessageDecoding}), or null if it is usable
 */
public record Leased(
    String queue, String id, byte[] rawMessage, TaskMessage message, String decodeError) {

  static Leased of(String queue, String id, byte[] raw) {
    MessageDecoding.Result r = MessageDecoding.decode(queue, id, raw);
    return new Leased(queue, id, raw, r.message(), r.error());
  }
}

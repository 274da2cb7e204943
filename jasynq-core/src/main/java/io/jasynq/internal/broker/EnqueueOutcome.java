package io.jasynq.internal.broker;

/** What an enqueue script did. */
public enum EnqueueOutcome {
  /** The task was written. */
  ENQUEUED,
  /** Nothing was written: the unique lock is held by another task. */
  DUPLICATE,
  /** Nothing was written: a task with this ID exists in the queue. */
  ID_CONFLICT;

  static EnqueueOutcome ofReply(Long reply) {
    if (reply == null) {
      throw new IllegalStateException("enqueue script returned nil");
    }
    if (reply == 1) {
      return ENQUEUED;
    }
    if (reply == 0) {
      return ID_CONFLICT;
    }
    if (reply == -1) {
      return DUPLICATE;
    }
    throw new IllegalStateException("enqueue script returned " + reply);
  }
}

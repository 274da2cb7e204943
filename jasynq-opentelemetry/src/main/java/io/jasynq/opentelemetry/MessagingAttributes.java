package io.jasynq.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The span attribute keys and values {@link JasynqTelemetry} writes: the OpenTelemetry messaging
 * semantic conventions' names, defined here so the module needs no semconv artifact, and jasynq's
 * own {@code jasynq.*} keys. Useful to query or assert on the spans.
 *
 * @since 0.1
 */
public final class MessagingAttributes {
  /** {@code messaging.system}: always {@link #SYSTEM}. */
  public static final AttributeKey<String> MESSAGING_SYSTEM =
      AttributeKey.stringKey("messaging.system");

  /** {@code messaging.destination.name}: the queue. */
  public static final AttributeKey<String> MESSAGING_DESTINATION_NAME =
      AttributeKey.stringKey("messaging.destination.name");

  /** {@code messaging.operation.type}: {@link #SEND}, {@link #CREATE} or {@link #PROCESS}. */
  public static final AttributeKey<String> MESSAGING_OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");

  /** {@code messaging.operation.name}: the same word as the operation type. */
  public static final AttributeKey<String> MESSAGING_OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");

  /** {@code messaging.message.id}: the task ID (on a producer span once Redis has answered). */
  public static final AttributeKey<String> MESSAGING_MESSAGE_ID =
      AttributeKey.stringKey("messaging.message.id");

  /** {@code messaging.message.body.size}: the payload's size in bytes. */
  public static final AttributeKey<Long> MESSAGING_MESSAGE_BODY_SIZE =
      AttributeKey.longKey("messaging.message.body.size");

  /** {@code error.type}: the fully qualified class name of what was thrown. */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** {@code jasynq.task.type}: the task's type name. */
  public static final AttributeKey<String> TASK_TYPE = AttributeKey.stringKey("jasynq.task.type");

  /** {@code jasynq.task.retry_count}: retries before this attempt (0 on the first). */
  public static final AttributeKey<Long> TASK_RETRY_COUNT =
      AttributeKey.longKey("jasynq.task.retry_count");

  /** {@code jasynq.task.max_retry}: how many retries the task may have. */
  public static final AttributeKey<Long> TASK_MAX_RETRY =
      AttributeKey.longKey("jasynq.task.max_retry");

  /**
   * {@code jasynq.task.will_retry}, on a failed process span: whether the task has retries left and
   * the handler did not ask to skip them (see {@link JasynqTelemetry#middleware()}).
   */
  public static final AttributeKey<Boolean> TASK_WILL_RETRY =
      AttributeKey.booleanKey("jasynq.task.will_retry");

  /**
   * The {@code messaging.system} value. Neither "asynq" nor "jasynq" is a registered value; the
   * conventions allow others, and this one names the instrumentation that wrote the span.
   */
  public static final String SYSTEM = "jasynq";

  /** Operation type of a single enqueue. */
  public static final String SEND = "send";

  /** Operation type of one task of a batch enqueue. */
  public static final String CREATE = "create";

  /** Operation type of a handler's run. */
  public static final String PROCESS = "process";

  private MessagingAttributes() {}
}

/**
 * The enqueue rules: how a task and its public {@code TaskOption}s become one {@link
 * io.jasynq.internal.broker.EnqueueRequest} (wire-format §5.2), shared by the Client, the scheduler
 * and the aggregator. No I/O.
 *
 * <p>Not API: may change without notice.
 */
package io.jasynq.internal.enqueue;

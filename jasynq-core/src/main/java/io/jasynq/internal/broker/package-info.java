/**
 * The only place that knows the queue schema and sends data commands: the key schema ({@link
 * io.jasynq.internal.broker.Keys}), the Lua scripts ({@link io.jasynq.internal.broker.Script}), the
 * task message codec, and the {@link io.jasynq.internal.broker.Broker} with its parts, grouped by
 * job as Go Asynq's {@code rdb} is: enqueue ({@link io.jasynq.internal.broker.Enqueuer}), task flow
 * and outcomes, aggregation, server state, the scheduler's and the Inspector's stores. Every
 * command goes through one {@code CommandRunner}. Its connections come from {@link
 * io.jasynq.internal.connection}.
 *
 * <p>Not API: may change without notice.
 */
package io.jasynq.internal.broker;

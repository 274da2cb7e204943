/**
 * The only place that knows Redis: the key schema ({@link io.jasynq.internal.broker.Keys}), the Lua
 * scripts ({@link io.jasynq.internal.broker.Script}), the task message codec and the {@link
 * io.jasynq.internal.broker.Broker}, the only class that sends commands.
 *
 * <p>Not API: may change without notice.
 */
package io.jasynq.internal.broker;

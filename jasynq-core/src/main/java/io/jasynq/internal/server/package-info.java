/**
 * The server's parts: {@link io.jasynq.internal.server.Processor} (fetch and run tasks), {@link
 * io.jasynq.internal.server.Forwarder}, {@link io.jasynq.internal.server.Recoverer}, {@link
 * io.jasynq.internal.server.Janitor}, {@link io.jasynq.internal.server.Heartbeater}, {@link
 * io.jasynq.internal.server.HealthChecker}. The periodic ones run on {@link
 * io.jasynq.internal.runtime.PeriodicRunner}, shared with the scheduler.
 *
 * <p>Not API: may change without notice.
 */
package io.jasynq.internal.server;

package io.jasynq;

/**
 * Wraps a handler, for logging, metrics, tracing and the like. {@link ServeMux#use} applies
 * middleware in registration order, the first registered outermost.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Middleware {
  /** The handler that runs around {@code next}. */
  Handler wrap(Handler next);
}

package io.jasynq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Routes tasks to handlers by type, as Asynq's {@code ServeMux}: an exact match wins, else the
 * longest registered pattern that the type starts with ({@code "email:"} serves {@code
 * "email:welcome"}). Middleware added with {@link #use} wraps every handler, the first registered
 * outermost. A task no pattern matches fails with {@link HandlerNotFoundException} and is retried.
 *
 * <p>Thread-safe; register before the server starts for predictable routing.
 *
 * @since 0.1
 */
public final class ServeMux implements Handler {
  private record Route(String pattern, Handler handler) {}

  private volatile List<Route> routes = List.of(); // longest pattern first; copy on write
  private volatile List<Middleware> middleware = List.of();

  /**
   * Routes tasks whose type equals or starts with {@code pattern} to {@code handler}.
   *
   * @throws IllegalArgumentException for a blank or already registered pattern
   */
  public synchronized ServeMux handle(String pattern, Handler handler) {
    Checks.text("pattern", pattern);
    Objects.requireNonNull(handler, "handler == null");
    for (Route r : routes) {
      if (r.pattern.equals(pattern)) {
        throw new IllegalArgumentException("pattern \"" + pattern + "\" is already registered");
      }
    }
    List<Route> next = new ArrayList<>(routes);
    next.add(new Route(pattern, handler));
    next.sort(Comparator.comparingInt((Route r) -> r.pattern.length()).reversed());
    routes = List.copyOf(next);
    return this;
  }

  /** Adds middleware around every handler; the first added runs outermost. */
  public synchronized ServeMux use(Middleware... middleware) {
    List<Middleware> next = new ArrayList<>(this.middleware);
    for (Middleware m : middleware) {
      next.add(Objects.requireNonNull(m, "middleware == null"));
    }
    this.middleware = List.copyOf(next);
    return this;
  }

  /** The handler for {@code type} with the middleware applied; never null. */
  public Handler handler(String type) {
    Handler h =
        context -> {
          throw new HandlerNotFoundException(type);
        };
    for (Route r : routes) {
      if (type.startsWith(r.pattern)) {
        h = r.handler;
        break;
      }
    }
    List<Middleware> chain = middleware;
    for (int i = chain.size() - 1; i >= 0; i--) {
      h = chain.get(i).wrap(h);
    }
    return h;
  }

  @Override
  public void handle(TaskContext context) throws Exception {
    handler(context.task().type()).handle(context);
  }
}

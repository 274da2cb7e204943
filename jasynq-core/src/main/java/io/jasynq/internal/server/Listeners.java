package io.jasynq.internal.server;

import io.jasynq.HealthListener;
import io.jasynq.ServerListener;
import io.jasynq.ServerStatus;
import io.jasynq.TaskEvent;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a server's {@link ServerListener}s (and its {@link HealthListener}) what happened. A
 * listener that throws is logged at WARN once per method and listener class, and never changes the
 * outcome of what it observed. Thread-safe; called from any server thread.
 */
public final class Listeners implements HealthListener {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  // Immutable after construction.
  private final List<ServerListener> listeners;
  private final HealthListener health; // null: none

  // Shared.
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public Listeners(List<ServerListener> listeners, HealthListener health) {
    this.listeners = List.copyOf(listeners);
    this.health = health;
  }

  /** Whether anyone listens for task events; when not, callers skip building them. */
  public boolean any() {
    return !listeners.isEmpty();
  }

  /** Whether anyone wants health checks. */
  public boolean wantHealth() {
    return health != null || !listeners.isEmpty();
  }

  void started(TaskEvent e) {
    each("onTaskStarted", l -> l.onTaskStarted(e));
  }

  void succeeded(TaskEvent e) {
    each("onTaskSucceeded", l -> l.onTaskSucceeded(e));
  }

  void failed(TaskEvent e) {
    each("onTaskFailed", l -> l.onTaskFailed(e));
  }

  void interrupted(TaskEvent e) {
    each("onTaskInterrupted", l -> l.onTaskInterrupted(e));
  }

  void archived(TaskEvent e) {
    each("onTaskArchived", l -> l.onTaskArchived(e));
  }

  void recovered(TaskEvent e) {
    each("onTaskRecovered", l -> l.onTaskRecovered(e));
  }

  void forwarded(String queue, int count) {
    each("onTasksForwarded", l -> l.onTasksForwarded(queue, count));
  }

  public void status(String serverId, ServerStatus status) {
    each("onServerStatus", l -> l.onServerStatus(serverId, status));
  }

  void redisError(String operation, Throwable error) {
    each("onRedisError", l -> l.onRedisError(operation, error));
  }

  @Override
  public void onHealth(boolean healthy, Throwable error) {
    if (health != null) {
      call("onHealth", health, l -> l.onHealth(healthy, error));
    }
    each("onHealth", l -> l.onHealth(healthy, error));
  }

  private void each(String method, Consumer<ServerListener> call) {
    for (ServerListener l : listeners) {
      call(method, l, call);
    }
  }

  private <L> void call(String method, L listener, Consumer<L> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException | LinkageError | AssertionError e) {
      String kind = listener.getClass().getName() + "." + method;
      if (warned.add(kind)) {
        log.warn("listener {} threw; ignored (logged once per method and listener class)", kind, e);
      } else {
        log.debug("listener {} threw; ignored", kind, e);
      }
    }
  }
}

package io.jasynq.micrometer;

import io.jasynq.Client;
import io.jasynq.EnqueueInterceptor;
import io.jasynq.Inspector;
import io.jasynq.ServerConfig;
import io.jasynq.ServerListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Binds jasynq clients, servers and queues to a Micrometer {@link MeterRegistry} through jasynq's
 * public hooks: an {@link EnqueueInterceptor} for {@link Client.Builder#interceptor}, a {@link
 * ServerListener} for {@link ServerConfig.Builder#listener}, and queue gauges over an {@link
 * Inspector}. The meter names are in {@link MetricNames}.
 *
 * <pre>{@code
 * JasynqMetrics metrics = JasynqMetrics.builder(registry).tags(Tags.of("app", "billing")).build();
 * Client client = Client.builder().uri(uri).interceptor(metrics.enqueueInterceptor()).build();
 * ServerConfig config = ServerConfig.builder().listener(metrics.serverListener()).build();
 * QueueMetrics queues = metrics.bindQueues(inspector, Duration.ofSeconds(15));
 * }</pre>
 *
 * <p>Thread-safe. The interceptor and listener may serve any number of clients and servers; meters
 * are registered on first use. Nothing here owns the registry.
 *
 * @since 0.1
 */
public final class JasynqMetrics {
  // Immutable after construction.
  private final MeterRegistry registry;
  private final Tags tags;
  private final TaskTypeTags taskTypes;
  private final EnqueueMeters interceptor;
  private final TaskMeters listener;

  // Shared: whether a QueueMetrics of this object is open.
  private final AtomicBoolean queuesBound = new AtomicBoolean();

  private JasynqMetrics(Builder b) {
    this.registry = b.registry;
    this.tags = b.tags;
    this.taskTypes = b.taskTypes;
    this.interceptor = new EnqueueMeters(registry, tags, taskTypes);
    this.listener = new TaskMeters(registry, tags, taskTypes);
  }

  /**
   * A builder of metrics recorded to {@code registry}.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(Objects.requireNonNull(registry, "registry == null"));
  }

  /**
   * The interceptor that times every enqueue ({@value MetricNames#CLIENT_ENQUEUE}); the same
   * instance on every call. Add it first to time the other interceptors too.
   */
  public EnqueueInterceptor enqueueInterceptor() {
    return interceptor;
  }

  /**
   * The listener that records task attempts, archives, recoveries, forwards and Redis errors of a
   * server; the same instance on every call. It never blocks and never calls Redis.
   */
  public ServerListener serverListener() {
    return listener;
  }

  /**
   * Publishes gauges of every queue that {@code inspector} sees, refreshed every {@code interval}
   * by a {@code jasynq-metrics} daemon thread (see {@link QueueMetrics}). Close the result to stop;
   * the inspector stays the caller's.
   *
   * @param interval how often to refresh; >= {@link QueueMetrics#MIN_INTERVAL}
   * @return the running binding, owned by the caller
   * @throws IllegalArgumentException if {@code interval} is below 1 second
   * @throws IllegalStateException if the inspector is closed, or queues of this object are already
   *     bound (close that binding first: two would publish the same meters)
   * @throws NullPointerException if an argument is null
   */
  public QueueMetrics bindQueues(Inspector inspector, Duration interval) {
    Objects.requireNonNull(inspector, "inspector == null");
    QueueMetrics.checkInterval(interval);
    if (inspector.isClosed()) {
      throw new IllegalStateException("inspector is closed");
    }
    if (!queuesBound.compareAndSet(false, true)) {
      throw new IllegalStateException("queues are already bound; close that QueueMetrics first");
    }
    try {
      return new QueueMetrics(inspector, interval, registry, tags, () -> queuesBound.set(false));
    } catch (RuntimeException e) {
      queuesBound.set(false);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "JasynqMetrics[tags=" + tags + ", taskTypes=" + taskTypes + "]";
  }

  /**
   * Builds {@link JasynqMetrics}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final MeterRegistry registry;
    private Tags tags = Tags.empty();
    private TaskTypeTags taskTypes = TaskTypeTags.cap(TaskTypeTags.DEFAULT_CAP);

    private Builder(MeterRegistry registry) {
      this.registry = registry;
    }

    /**
     * Adds tags to every meter; default none. Later calls add to earlier ones (a key given again
     * takes the later value).
     *
     * @throws NullPointerException if {@code tags} is null
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(Objects.requireNonNull(tags, "tags == null"));
      return this;
    }

    /**
     * How task types become {@code task.type} tag values; default {@code TaskTypeTags.cap(}{@value
     * TaskTypeTags#DEFAULT_CAP}{@code )}.
     *
     * @throws NullPointerException if {@code taskTypes} is null
     */
    public Builder taskTypes(TaskTypeTags taskTypes) {
      this.taskTypes = Objects.requireNonNull(taskTypes, "taskTypes == null");
      return this;
    }

    /** The metrics binder. */
    public JasynqMetrics build() {
      return new JasynqMetrics(this);
    }
  }
}

package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.PeriodicTaskConfig;
import io.jasynq.PeriodicTaskConfigProvider;
import io.jasynq.PeriodicTaskManager;
import io.jasynq.Scheduler;
import io.jasynq.SchedulerConfig;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.Eventually;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The lifecycle matrix (issue 4, "Lifecycle"): every public closeable {@link Type}, built every
 * {@link Wiring} a caller can choose, closed every {@link Closing} way. {@link LifecycleMatrixTest}
 * runs it per topology, {@link LifecycleChild} from JVM shutdown hooks.
 *
 * <p>Adding a public type is one {@link Type} constant; adding a topology is one subclass of {@link
 * LifecycleMatrixTest}.
 */
final class LifecycleCases {
  /** How long any one close may take before the case counts as hung (machine under load). */
  static final Duration HANG = Duration.ofSeconds(30);

  /** The servers' shutdown timeout: the bound the issue names, kept short. */
  static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);

  /** What a close may take beyond the shutdown timeout on a loaded machine (observed: < 0.5 s). */
  static final Duration SLACK = Duration.ofSeconds(9);

  private LifecycleCases() {}

  /** Every public closeable type. */
  enum Type {
    CLIENT(ClientSubject::new, true),
    SERVER(ServerSubject::new, true),
    SCHEDULER(SchedulerSubject::new, true),
    PERIODIC_TASK_MANAGER(PeriodicTaskManagerSubject::new, false),
    INSPECTOR(InspectorSubject::new, false);

    private final Function<Wired, Subject> opener;

    /** Whether it runs the caller's code (a handler, a callback) that may close it. */
    final boolean runsHandlers;

    Type(Function<Wired, Subject> opener, boolean runsHandlers) {
      this.opener = opener;
      this.runsHandlers = runsHandlers;
    }

    Subject open(Wired wired) {
      return opener.apply(wired);
    }
  }

  /** How the caller hands jasynq its Redis. */
  enum Wiring {
    /** {@code connect(uri)}: jasynq creates and closes everything. */
    OWNED,
    /** {@code create(RedisConnector.create(uri))}: the caller closes the connector. */
    CONNECTOR,
    /** A connector on the caller's {@code ClientResources}. */
    CONNECTOR_ON_CALLER_RESOURCES,
    /** {@code RedisConnector.borrow(callersRedisClient)}. */
    BORROWED_CLIENT,
    /** {@code RedisConnector.borrow(callersConnection)}. */
    BORROWED_CONNECTION;

    Caller wire(String uri) {
      return new Caller(this, uri);
    }

    boolean callerHasResources() {
      return this != OWNED && this != CONNECTOR;
    }
  }

  /** The ways of closing. */
  enum Closing {
    /** Ours, then the caller's, in reverse order of creation. */
    NATURAL,
    /** The caller closes what it handed us (connection, client or connector) first, then ours. */
    CALLER_FIRST,
    /** The caller shuts down its {@code ClientResources} (event loops) first, then ours. */
    CALLER_RESOURCES_FIRST,
    /** Ours twice, then the caller's. */
    TWICE,
    /** Ours from two threads at once, then the caller's. */
    TWO_THREADS,
    /**
     * Ours from inside its own running code, then the caller's: a Server's handler on its worker
     * thread; a Client's completion callback on a Lettuce event-loop thread.
     */
    FROM_HANDLER;

    boolean appliesTo(Type type, Wiring wiring) {
      return switch (this) {
        case NATURAL, TWICE, TWO_THREADS -> true;
        case CALLER_FIRST -> wiring != Wiring.OWNED;
        case CALLER_RESOURCES_FIRST -> wiring.callerHasResources();
        case FROM_HANDLER -> type.runsHandlers;
      };
    }

    /** Whether the caller's objects must still work after ours closed. */
    boolean leavesCallerUsable() {
      return this != CALLER_FIRST && this != CALLER_RESOURCES_FIRST;
    }

    void close(Subject subject, Caller caller) throws Exception {
      switch (this) {
        case NATURAL -> subject.close();
        case CALLER_FIRST -> {
          caller.closeWhatItHandedUs();
          subject.close();
        }
        case CALLER_RESOURCES_FIRST -> {
          caller.shutDownResources();
          subject.close();
        }
        case TWICE -> {
          subject.close();
          subject.close();
        }
        case TWO_THREADS -> closeFromTwoThreads(subject);
        case FROM_HANDLER -> {
          subject.closeFromHandler();
          // A close from a callback may finish on a thread of its own; a second close waits for
          // it (as documented), so the caller's own close that follows does not race it.
          subject.close();
        }
      }
    }
  }

  /** Every (type, wiring, closing) that makes sense. */
  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Type type : Type.values()) {
      for (Wiring wiring : Wiring.values()) {
        for (Closing closing : Closing.values()) {
          if (closing.appliesTo(type, wiring)) {
            cases.add(Arguments.of(type, wiring, closing));
          }
        }
      }
    }
    return cases.stream();
  }

  /** What a type is built from: a URI (owned) or a connector (the caller's). */
  record Wired(String uri, RedisConnector connector) {}

  /** One open jasynq object. */
  interface Subject {
    /** Proves it works: an enqueue, a processed task. */
    void use();

    void close();

    /** Proves it is closed: calls fail fast or it says so. */
    void assertClosed();

    /** Closes it from inside its own running work; only for types that run handlers. */
    default void closeFromHandler() {
      throw new UnsupportedOperationException();
    }
  }

  /**
   * What the caller created and handed to jasynq, and how it closes them. A {@code
   * redis-cluster://} URI makes it use Lettuce's cluster client and connection.
   */
  static final class Caller {
    private static final String CLUSTER_SCHEME = "redis-cluster://";

    private final Wiring wiring;
    private final ClientResources resources;
    private final AbstractRedisClient client; // RedisClient or RedisClusterClient
    private final StatefulConnection<String, String> connection;
    private final RedisConnector connector;
    private final String uri;
    private boolean connectionClosed; // Lettuce logs a WARN when a connection is closed twice

    Caller(Wiring wiring, String uri) {
      this.wiring = wiring;
      this.uri = uri;
      this.resources = wiring.callerHasResources() ? DefaultClientResources.create() : null;
      boolean lettuce = wiring == Wiring.BORROWED_CLIENT || wiring == Wiring.BORROWED_CONNECTION;
      boolean cluster = uri.startsWith(CLUSTER_SCHEME);
      this.client =
          !lettuce
              ? null
              : cluster
                  ? RedisClusterClient.create(resources, clusterSeeds(uri))
                  : RedisClient.create(resources, RedisURI.create(uri));
      this.connection =
          wiring != Wiring.BORROWED_CONNECTION
              ? null
              : client instanceof RedisClusterClient c
                  ? c.connect()
                  : ((RedisClient) client).connect();
      this.connector =
          switch (wiring) {
            case OWNED -> null;
            case CONNECTOR -> RedisConnector.create(uri);
            case CONNECTOR_ON_CALLER_RESOURCES ->
                RedisConnector.builder().uri(uri).clientResources(resources).build();
            case BORROWED_CLIENT ->
                client instanceof RedisClusterClient c
                    ? RedisConnector.borrow(c)
                    : RedisConnector.borrow((RedisClient) client);
            case BORROWED_CONNECTION ->
                connection instanceof StatefulRedisClusterConnection<String, String> c
                    ? RedisConnector.borrow(c)
                    : RedisConnector.borrow((StatefulRedisConnection<String, String>) connection);
          };
    }

    private static List<RedisURI> clusterSeeds(String uri) {
      return Stream.of(uri.substring(CLUSTER_SCHEME.length()).split(","))
          .map(node -> RedisURI.create("redis://" + node))
          .toList();
    }

    Wired wired() {
      return new Wired(uri, connector);
    }

    /** The wrong order, part one: what the caller handed us goes first. */
    void closeWhatItHandedUs() {
      switch (wiring) {
        case OWNED -> throw new IllegalStateException("nothing was handed over");
        case CONNECTOR, CONNECTOR_ON_CALLER_RESOURCES -> connector.close();
        case BORROWED_CLIENT -> client.shutdown();
        case BORROWED_CONNECTION -> {
          connection.close();
          connectionClosed = true;
        }
      }
    }

    /** The wrong order, part one: the caller's event loops go first. */
    void shutDownResources() throws Exception {
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }

    /** The caller's objects still serve the caller. */
    void assertUsable() {
      if (connection != null) {
        assertThat(ping(connection)).isEqualTo("PONG");
      } else if (client != null) {
        StatefulConnection<String, String> c =
            client instanceof RedisClusterClient cc
                ? cc.connect()
                : ((RedisClient) client).connect();
        try {
          assertThat(ping(c)).isEqualTo("PONG");
        } finally {
          c.close();
        }
      }
      if (connector != null) {
        assertThat(connector.isClosed()).isFalse();
        try (Client other = Client.create(connector)) {
          other.ping();
        }
      }
    }

    private static String ping(StatefulConnection<String, String> c) {
      return c instanceof StatefulRedisClusterConnection<String, String> cluster
          ? cluster.sync().ping()
          : ((StatefulRedisConnection<String, String>) c).sync().ping();
    }

    /**
     * The caller's own close, in its natural order, after the wrong-order steps too. Lettuce may
     * throw when the caller closes its connection after shutting down its own event loops: that is
     * between the caller and Lettuce, so each step is tried on its own.
     */
    void close() throws Exception {
      if (connector != null) {
        connector.close(); // jasynq's: must not throw
      }
      if (connection != null && !connectionClosed) {
        connectionClosed = true;
        quietly(connection::close);
      }
      if (client != null) {
        // Bounded: after the caller shut its own event loops down, Lettuce's client.shutdown()
        // can wait forever for a close that no event loop will run (seen on cluster clients with
        // a connection still open: AbstractRedisClient.shutdown parks in CompletableFuture.get).
        // That is the caller's order and Lettuce's behaviour, not jasynq's, so it is not waited
        // for past a few seconds; jasynq's own close was bounded and checked above.
        quietly(
            () -> {
              try {
                client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
              } catch (java.util.concurrent.TimeoutException
                  | java.util.concurrent.ExecutionException e) {
                // see above
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      if (resources != null) {
        resources.shutdown(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
      }
    }

    private static void quietly(Runnable lettuceStep) {
      try {
        lettuceStep.run();
      } catch (RuntimeException e) {
        // the caller's own Lettuce object after the caller shut its event loops down
      }
    }

    /** Whether the caller's own Lettuce client is a cluster client. */
    boolean hasClusterClient() {
      return client instanceof RedisClusterClient;
    }
  }

  static final class ClientSubject implements Subject {
    private final Client client;

    ClientSubject(Wired wired) {
      client =
          wired.connector() == null
              ? Client.connect(wired.uri())
              : Client.create(wired.connector());
    }

    @Override
    public void use() {
      client.enqueue(Task.of("lifecycle"));
      client.ping();
    }

    @Override
    public void close() {
      client.close();
    }

    @Override
    public void closeFromHandler() {
      CountDownLatch closed = new CountDownLatch(1);
      client
          .enqueueAsync(Task.of("lifecycle"))
          .whenComplete(
              (info, error) -> {
                client.close(); // on the thread that completed the enqueue
                closed.countDown();
              });
      try {
        assertThat(closed.await(HANG.toSeconds(), TimeUnit.SECONDS))
            .as("close() from the callback returned")
            .isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    @Override
    public void assertClosed() {
      assertThat(client.isClosed()).isTrue();
      assertThatThrownBy(() -> client.enqueue(Task.of("t")))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  static final class ServerSubject implements Subject {
    private static final String CLOSE_ME = "close-me";

    private final String uri;
    private final Server server;
    private final AtomicInteger processed = new AtomicInteger();
    private final CountDownLatch closedInHandler = new CountDownLatch(1);

    ServerSubject(Wired wired) {
      this.uri = wired.uri();
      ServerConfig config =
          ServerConfig.builder()
              .concurrency(2)
              .taskCheckInterval(Duration.ofMillis(20))
              .heartbeatInterval(Duration.ofMillis(200))
              .delayedTaskCheckInterval(Duration.ofMillis(50))
              .shutdownTimeout(SHUTDOWN_TIMEOUT)
              .build();
      server =
          wired.connector() == null
              ? Server.connect(wired.uri(), config)
              : Server.create(wired.connector(), config);
      server.start(
          ctx -> {
            if (CLOSE_ME.equals(ctx.task().type())) {
              server.close(); // on the worker thread itself
              closedInHandler.countDown();
            } else {
              processed.incrementAndGet();
            }
          });
    }

    @Override
    public void use() {
      enqueue("lifecycle");
      Eventually.until(Duration.ofSeconds(30), "a task processed", () -> processed.get() > 0);
    }

    private void enqueue(String type) {
      try (Client client = Client.connect(uri)) {
        client.enqueue(Task.of(type));
      }
    }

    @Override
    public void close() {
      server.close();
    }

    @Override
    public void assertClosed() {
      assertThat(server.toString()).contains("closed");
      assertThatThrownBy(() -> server.start(ctx -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Override
    public void closeFromHandler() {
      enqueue(CLOSE_ME);
      try {
        assertThat(closedInHandler.await(HANG.toSeconds(), TimeUnit.SECONDS))
            .as("close() from the handler returned")
            .isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static final class SchedulerSubject implements Subject {
    private final AtomicReference<Scheduler> scheduler = new AtomicReference<>();
    private volatile boolean closeOnNextTick;
    private final CountDownLatch closedInCallback = new CountDownLatch(1);

    SchedulerSubject(Wired wired) {
      SchedulerConfig config =
          SchedulerConfig.builder()
              .postEnqueue(
                  (info, error) -> {
                    if (closeOnNextTick) {
                      scheduler.get().close(); // on the scheduler's own thread
                      closedInCallback.countDown();
                    }
                  })
              .build();
      scheduler.set(
          wired.connector() == null
              ? Scheduler.connect(wired.uri(), config)
              : Scheduler.create(wired.connector(), config));
      scheduler.get().register("@every 1s", Task.of("lifecycle:tick"));
      scheduler.get().start();
    }

    @Override
    public void use() {
      scheduler.get().ping();
    }

    @Override
    public void close() {
      scheduler.get().close();
    }

    @Override
    public void assertClosed() {
      assertThat(scheduler.get().isClosed()).isTrue();
      assertThatThrownBy(() -> scheduler.get().register("@every 1s", Task.of("t")))
          .isInstanceOf(IllegalStateException.class);
    }

    @Override
    public void closeFromHandler() {
      closeOnNextTick = true;
      await(closedInCallback, "close() from the post-enqueue callback returned");
    }
  }

  static final class PeriodicTaskManagerSubject implements Subject {
    private final PeriodicTaskManager manager;

    PeriodicTaskManagerSubject(Wired wired) {
      PeriodicTaskConfigProvider provider =
          () -> List.of(PeriodicTaskConfig.of("@every 1s", Task.of("lifecycle:periodic")));
      PeriodicTaskManager.Builder builder = PeriodicTaskManager.builder(provider);
      manager =
          (wired.connector() == null
                  ? builder.uri(wired.uri())
                  : builder.connector(wired.connector()))
              .build();
      manager.start();
    }

    @Override
    public void use() {
      manager.scheduler().ping();
    }

    @Override
    public void close() {
      manager.close();
    }

    @Override
    public void assertClosed() {
      assertThat(manager.isClosed()).isTrue();
      assertThat(manager.scheduler().isClosed()).isTrue();
    }
  }

  static final class InspectorSubject implements Subject {
    private final Inspector inspector;

    InspectorSubject(Wired wired) {
      inspector =
          wired.connector() == null
              ? Inspector.connect(wired.uri())
              : Inspector.create(wired.connector());
    }

    @Override
    public void use() {
      inspector.ping();
      inspector.queues();
    }

    @Override
    public void close() {
      inspector.close();
    }

    @Override
    public void assertClosed() {
      assertThat(inspector.isClosed()).isTrue();
      assertThatThrownBy(inspector::queues).isInstanceOf(IllegalStateException.class);
    }
  }

  static void await(CountDownLatch latch, String what) {
    try {
      assertThat(latch.await(HANG.toSeconds(), TimeUnit.SECONDS)).as(what).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void closeFromTwoThreads(Subject subject) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                  subject.close();
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "closer-" + i);
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(HANG.toMillis());
      assertThat(t.isAlive()).as(t.getName() + " returned").isFalse();
    }
    assertThat(failures).isEmpty();
  }

  /** Runs {@code action}; fails if it throws or takes longer than {@link #HANG}. */
  static Duration bounded(String what, Action action) {
    java.util.concurrent.atomic.AtomicReference<Thread> runner =
        new java.util.concurrent.atomic.AtomicReference<>();
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "lifecycle-test");
              runner.set(t);
              return t;
            });
    long begin = System.nanoTime();
    try {
      Future<?> f =
          executor.submit(
              () -> {
                action.run();
                return null;
              });
      f.get(HANG.toMillis(), TimeUnit.MILLISECONDS);
      return Duration.ofNanos(System.nanoTime() - begin);
    } catch (TimeoutException e) {
      // Where it hangs, and what every other thread does: a flake seen once a month needs both.
      StringBuilder where = new StringBuilder();
      Thread t = runner.get();
      if (t != null) {
        for (StackTraceElement frame : t.getStackTrace()) {
          where.append("\n    at ").append(frame);
        }
      }
      Thread.getAllStackTraces()
          .forEach(
              (other, stack) -> {
                if (other != t && stack.length > 0) {
                  where.append("\n  thread ").append(other.getName()).append(":");
                  for (int i = 0; i < Math.min(stack.length, 12); i++) {
                    where.append("\n    at ").append(stack[i]);
                  }
                }
              });
      throw new AssertionError(what + " still running after " + HANG + ":" + where);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " threw " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      executor.shutdownNow();
    }
  }

  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }
}

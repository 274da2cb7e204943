package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.QueueInfo;
import io.jasynq.RetryDelay;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskContext;
import io.jasynq.TaskState;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.Leaks;
import io.lettuce.core.resource.ClientResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Closing a real context while handlers run and tasks wait: in the normal order, and with the
 * application's Redis beans closed before jasynq's.
 */
class JasynqShutdownTest {
  private static final String QUEUE = "default";
  private static final String SERVER_RUNTIME = "io.jasynq.internal.server.ServerRuntime";
  // A periodic task, so that a scheduler runs and closes too; it never fires during a test.
  private static final String HOURLY = "jasynq.periodic.hourly.cron=@every 1h";
  private static final String HOURLY_TYPE = "jasynq.periodic.hourly.type=hourly";

  @RegisterExtension
  static final BootRedis redis =
      new BootRedis("jasynq.server.concurrency=10", "jasynq.server.shutdown-timeout=1s");

  @BeforeEach
  void flush() {
    redis.raw().flushAll();
  }

  /**
   * Handles "load": most tasks do a little hashing; every {@code test.block-every}-th waits on
   * {@link #gate}, which the tests never open, until the server interrupts it at shutdown.
   */
  static class Load {
    final int blockEvery;
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger completed = new AtomicInteger();
    final Set<String> blocked = ConcurrentHashMap.newKeySet();

    Load(@Value("${test.block-every}") int blockEvery) {
      this.blockEvery = blockEvery;
    }

    @TaskHandler("load")
    void load(byte[] payload, TaskContext context) throws Exception {
      int index = Integer.parseInt(new String(payload, StandardCharsets.US_ASCII));
      if (index % blockEvery == 0) {
        blocked.add(context.taskId());
        gate.await();
      } else {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] digest = payload;
        for (int i = 0; i < 200; i++) {
          digest = sha.digest(digest);
        }
      }
      completed.incrementAndGet();
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Load.class)
  static class LoadApp {}

  /**
   * Closes the application's Redis beans first: its stop runs before every other lifecycle's
   * (highest phase), so jasynq's server stops on Redis beans already gone.
   */
  static class RedisClosedFirst implements SmartLifecycle {
    private final ObjectProvider<LettuceConnectionFactory> factory;
    private final ObjectProvider<ClientResources> resources;
    private volatile boolean running;

    RedisClosedFirst(
        ObjectProvider<LettuceConnectionFactory> factory,
        ObjectProvider<ClientResources> resources) {
      this.factory = factory;
      this.resources = resources;
    }

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      factory.getObject().destroy();
      try {
        resources.getObject().shutdown(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return Integer.MAX_VALUE;
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Load.class)
  static class RedisClosedFirstApp {
    @Bean
    RedisClosedFirst redisClosedFirst(
        ObjectProvider<LettuceConnectionFactory> factory,
        ObjectProvider<ClientResources> resources) {
      return new RedisClosedFirst(factory, resources);
    }
  }

  /**
   * Lettuce's own WARN when the application shuts its {@code ClientResources} down under open
   * connections: Lettuce stops the resources' timer before the event loops, so a connection whose
   * channel goes inactive asks the stopped timer for a reconnect ("cannot be started once stopped")
   * and Netty logs that it reached the pipeline's tail. jasynq's connections are open then (its
   * server has not stopped yet) and nothing it does can prevent it; the jasynq-core lifecycle
   * matrix excuses the same message in the same wrong order.
   */
  private static boolean reconnectOnDeadTimer(ILoggingEvent e) {
    IThrowableProxy t = e.getThrowableProxy();
    return e.getLoggerName().equals("io.netty.channel.DefaultChannelPipeline")
        && t != null
        && t.getClassName().equals(IllegalStateException.class.getName())
        && "cannot be started once stopped".equals(t.getMessage())
        && Arrays.stream(t.getStackTraceElementProxyArray())
            .anyMatch(f -> f.getSTEAsString().contains("ConnectionWatchdog.scheduleReconnect"));
  }

  /**
   * Closes {@code context}: no jasynq thread outlives it, nothing is logged at WARN or above, and
   * the server runtime reports at INFO that it shut down.
   */
  private static void closeQuietly(
      ConfigurableApplicationContext context, Set<Thread> before, LogCapture logs) {
    context.close();
    Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
    assertThat(logs.warningsAndErrors()).isEmpty();
    assertThat(logs.infos(SERVER_RUNTIME)).anySatisfy(m -> assertThat(m).contains("shut down in"));
  }

  private static void enqueue(int total) {
    List<Task> tasks = new ArrayList<>(total);
    for (int i = 1; i <= total; i++) {
      tasks.add(Task.of("load", Integer.toString(i)));
    }
    try (Client client = Client.connect(redis.uri())) {
      client.enqueueBatch(tasks).forEach(r -> assertThat(r.isSuccess()).as("%s", r).isTrue());
    }
  }

  private static QueueInfo queueInfo() {
    try (Inspector inspector = Inspector.connect(redis.uri())) {
      return inspector.queueInfo(QUEUE);
    }
  }

  private static TaskState state(String id) {
    try (Inspector inspector = Inspector.connect(redis.uri())) {
      return inspector.taskInfo(QUEUE, id).state();
    }
  }

  private static String lease() {
    return "asynq:{" + QUEUE + "}:lease";
  }

  private static String active() {
    return "asynq:{" + QUEUE + "}:active";
  }

  @Test
  void closingUnderLoadLosesNoTaskRequeuesRunningOnesLogsNoWarningAndLeavesNoThread() {
    int total = 2000;
    enqueue(total);
    Set<Thread> before = Leaks.jasynqThreads();
    Load load;
    ConfigurableApplicationContext context =
        Apps.run(LoadApp.class, redis.properties("test.block-every=50"));
    // Started once the context runs: Spring Boot resets Logback while it starts one.
    try (context;
        LogCapture logs = LogCapture.start()) {
      load = context.getBean(Load.class);
      // Five workers wait on the gate while the other five hash: close mid-stream.
      Eventually.until(
          Duration.ofSeconds(60), "5 handlers blocked", () -> load.blocked.size() >= 5);
      closeQuietly(context, before, logs);
    }
    QueueInfo queue = queueInfo();
    assertThat(queue.active()).isZero();
    assertThat(queue.retry()).isZero();
    assertThat(queue.archived()).isZero();
    assertThat(queue.failedTotal()).isZero();
    assertThat(queue.pending()).isPositive();
    assertThat(queue.processedTotal()).isEqualTo(load.completed.get());
    assertThat(queue.processedTotal() + queue.pending()).isEqualTo(total);
    assertThat(load.blocked).allSatisfy(id -> assertThat(state(id)).isEqualTo(TaskState.PENDING));
    assertThat(redis.raw().zrangeWithScores(lease())).isEmpty();
    assertThat(redis.raw().lrange(active())).isEmpty();
  }

  @Test
  void closingAfterTheApplicationsRedisBeansLeavesRunningTasksToLeaseExpiryQuietly()
      throws Exception {
    int total = 200;
    enqueue(total);
    Set<Thread> before = Leaks.jasynqThreads();
    Load load;
    // Every handler blocks: ten run, the rest wait.
    ConfigurableApplicationContext context =
        Apps.run(
            RedisClosedFirstApp.class, redis.properties("test.block-every=1", HOURLY, HOURLY_TYPE));
    // Started once the context runs: Spring Boot resets Logback while it starts one.
    try (context;
        LogCapture logs = LogCapture.start()) {
      load = context.getBean(Load.class);
      Eventually.until("10 handlers blocked", () -> load.blocked.size() == 10);
      context.close();
      Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
      assertThat(logs.warningsAndErrorsExcept(JasynqShutdownTest::reconnectOnDeadTimer)).isEmpty();
      // Said once at INFO: the running tasks come back late (as retries), and why.
      assertThat(logs.infos(SERVER_RUNTIME))
          .filteredOn(m -> m.contains("shut down without cleaning up in Redis"))
          .singleElement()
          .asString()
          .contains("10 task(s) left active, recovered once their lease expires");
    }
    // Not lost: the running ones are still active under their (30 s) leases.
    QueueInfo queue = queueInfo();
    assertThat(queue.active()).isEqualTo(10);
    assertThat(queue.pending()).isEqualTo(total - 10);
    assertThat(redis.raw().zrangeWithScores(lease())).hasSize(10);

    // A later server, its clock past the leases, recovers them and runs everything.
    Set<String> ran = ConcurrentHashMap.newKeySet();
    FakeClock clock = FakeClock.at(Instant.now().plus(Duration.ofMinutes(2)));
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(10)
            .clock(clock)
            .retryDelay(RetryDelay.constant(Duration.ZERO))
            .delayedTaskCheckInterval(Duration.ofMillis(100))
            .shutdownTimeout(Duration.ofSeconds(1))
            .build();
    try (Server later = Server.connect(redis.uri(), config)) {
      later.start(new ServeMux().handle("load", ctx -> ran.add(ctx.taskId())));
      Eventually.until(
          Duration.ofSeconds(30), "the leased tasks ran", () -> ran.containsAll(load.blocked));
      Eventually.until(
          Duration.ofSeconds(30),
          "the queue is drained",
          () -> {
            QueueInfo q = queueInfo();
            return q.pending() == 0 && q.active() == 0 && q.retry() == 0;
          });
    }
    assertThat(ran).hasSize(total);
  }

  @Test
  void withJasynqRedisUriTheApplicationsRedisClosedFirstDoesNotAffectJasynq() {
    int total = 200;
    enqueue(total);
    Set<Thread> before = Leaks.jasynqThreads();
    Load load;
    ConfigurableApplicationContext context =
        Apps.run(
            RedisClosedFirstApp.class,
            redis.properties(
                "test.block-every=1", HOURLY, HOURLY_TYPE, "jasynq.redis.uri=" + redis.uri()));
    // Started once the context runs: Spring Boot resets Logback while it starts one.
    try (context;
        LogCapture logs = LogCapture.start()) {
      load = context.getBean(Load.class);
      Eventually.until("10 handlers blocked", () -> load.blocked.size() == 10);
      closeQuietly(context, before, logs);
    }
    QueueInfo queue = queueInfo();
    assertThat(queue.active()).isZero();
    assertThat(queue.pending()).isEqualTo(total);
    assertThat(load.blocked).allSatisfy(id -> assertThat(state(id)).isEqualTo(TaskState.PENDING));
    assertThat(redis.raw().zrangeWithScores(lease())).isEmpty();
  }
}

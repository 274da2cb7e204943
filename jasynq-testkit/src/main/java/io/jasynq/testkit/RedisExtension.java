package io.jasynq.testkit;

import java.lang.reflect.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit 5 extension behind {@link RedisTest}.
 *
 * <ul>
 *   <li>Per test class: starts one {@link RedisServer} and one {@link TestRedis}, kept in the
 *       class's {@link ExtensionContext.Store} so JUnit closes them after the class.
 *       {@code @Nested} classes reuse their enclosing class's server.
 *   <li>Before each test: restarts the server if an earlier test left it stopped, runs {@code
 *       FLUSHALL} and {@code SCRIPT FLUSH}, and records the {@code jasynq-*} threads and the
 *       server's client connections.
 *   <li>After each test, after its {@code @AfterEach} methods: fails the test if new {@code
 *       jasynq-*} threads or connections are still there after {@link #LEAK_CHECK_WAIT} (see {@link
 *       Leaks}), unless {@code @RedisTest(leakCheck = false)}.
 *   <li>Resolves {@link RedisServer}, {@link TestRedis} and {@link FakeClock} parameters of
 *       constructors, test methods and lifecycle methods. Each test gets a fresh {@code FakeClock}
 *       at {@link #FAKE_CLOCK_START}, the same instance in its constructor, {@code @BeforeEach},
 *       test and {@code @AfterEach} methods.
 * </ul>
 *
 * <p>Stateless: all state lives in JUnit's stores.
 *
 * @since 0.1.0
 */
public final class RedisExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  /** Where each test's {@link FakeClock} starts: 2025-01-01T00:00:00Z. */
  public static final Instant FAKE_CLOCK_START = Instant.parse("2025-01-01T00:00:00Z");

  /** How long each leak check waits for threads and connections to go away: 5 seconds. */
  public static final Duration LEAK_CHECK_WAIT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(RedisExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisExtension.class);

  private record Baseline(Set<Thread> threads, List<ClientConnection> connections) {}

  private record ClockKey(String uniqueId) {}

  /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
  public RedisExtension() {}

  /** Starts the class's server, or finds the enclosing class's. */
  @Override
  public void beforeAll(ExtensionContext context) {
    resources(context);
  }

  /** Brings the server back if needed, flushes it and records the leak baselines. */
  @Override
  public void beforeEach(ExtensionContext context) {
    RedisTestResources resources = resources(context);
    if (!resources.server().isRunning()) {
      log.debug("{} was left stopped by an earlier test; restarting it", resources.server());
      resources.server().restart();
    }
    resources.redis().flushAll();
    resources.redis().scriptFlush();
    if (leakCheck(context)) {
      context
          .getStore(NAMESPACE)
          .put(
              Baseline.class,
              new Baseline(Leaks.jasynqThreads(), Leaks.clientConnections(resources.redis())));
    }
  }

  /** Fails the test if it left new {@code jasynq-*} threads or connections behind. */
  @Override
  public void afterEach(ExtensionContext context) {
    Baseline baseline = context.getStore(NAMESPACE).remove(Baseline.class, Baseline.class);
    if (baseline == null) {
      return;
    }
    AssertionError failure = null;
    try {
      Leaks.awaitNoNewJasynqThreads(baseline.threads(), LEAK_CHECK_WAIT);
    } catch (AssertionError e) {
      failure = e;
    }
    RedisTestResources resources = resources(context);
    if (resources.server().isRunning()) {
      try {
        Leaks.awaitNoNewClientConnections(
            resources.redis(), baseline.connections(), LEAK_CHECK_WAIT);
      } catch (AssertionError e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    } else {
      log.debug("Skipping the connection leak check: {} is not running", resources.server());
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Supports parameters of type {@link RedisServer}, {@link TestRedis} and {@link FakeClock}. */
  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == RedisServer.class || type == TestRedis.class || type == FakeClock.class;
  }

  /** Returns the class's server or helper, or the test's fake clock. */
  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    Parameter parameter = parameterContext.getParameter();
    if (parameter.getType() == FakeClock.class) {
      return context
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(
              new ClockKey(context.getUniqueId()),
              key -> FakeClock.at(FAKE_CLOCK_START),
              FakeClock.class);
    }
    RedisTestResources resources = resources(context);
    return parameter.getType() == RedisServer.class ? resources.server() : resources.redis();
  }

  /**
   * Asks JUnit to resolve constructor parameters in the test method's context, so a {@link
   * FakeClock} injected into the constructor is the test's own.
   */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(
      ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  private static RedisTestResources resources(ExtensionContext context) {
    // The lookup also searches enclosing contexts, so a @Nested class finds its outer server.
    return TestClassContext.of(context)
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            RedisTestResources.class,
            key -> RedisTestResources.start(binary(context)),
            RedisTestResources.class);
  }

  /** Locates redis-server once per test run, not once per class. */
  private static RedisBinary binary(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(RedisBinary.class, key -> RedisBinary.locate(), RedisBinary.class);
  }

  private static boolean leakCheck(ExtensionContext context) {
    return TestClassContext.findOutwards(
            context,
            type ->
                AnnotationSupport.findAnnotation(type, RedisTest.class).map(RedisTest::leakCheck))
        .orElse(true);
  }
}

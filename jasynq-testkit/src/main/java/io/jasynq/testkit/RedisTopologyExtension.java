package io.jasynq.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link RedisSentinelTest} and {@link RedisClusterTest}; which
 * topology it starts depends on which of the two annotates the test class (or an enclosing class).
 *
 * <ul>
 *   <li>Per test class: starts one {@link RedisSentinel} or {@link RedisCluster}, kept in the
 *       class's {@link ExtensionContext.Store} so JUnit closes it after the class. {@code @Nested}
 *       classes reuse their enclosing class's topology.
 *   <li>Before each test: runs {@code FLUSHALL} on every running master and records the {@code
 *       jasynq-*} threads.
 *   <li>After each test: fails it if new {@code jasynq-*} threads are still there after {@link
 *       #LEAK_CHECK_WAIT} (see {@link Leaks}), unless the annotation says {@code leakCheck =
 *       false}.
 *   <li>Resolves {@link RedisSentinel} or {@link RedisCluster} parameters.
 * </ul>
 *
 * <p>Stateless: all state lives in JUnit's stores.
 *
 * @since 0.1.0
 */
public final class RedisTopologyExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  /** The JUnit tag of topology test classes: {@value}. */
  public static final String TAG = "topology";

  /** How long each leak check waits for threads to go away: 5 seconds. */
  public static final Duration LEAK_CHECK_WAIT = Duration.ofSeconds(5);

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisTopologyExtension.class);

  private record Baseline(Set<Thread> threads) {}

  /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
  public RedisTopologyExtension() {}

  /** Starts the class's topology, or finds the enclosing class's. */
  @Override
  public void beforeAll(ExtensionContext context) {
    topology(context);
  }

  /** Flushes the masters and records the leak baseline. */
  @Override
  public void beforeEach(ExtensionContext context) {
    AutoCloseable topology = topology(context);
    List<RedisServer> masters =
        topology instanceof RedisSentinel sentinel
            ? sentinel.servers().stream()
                .filter(
                    s ->
                        s.isRunning()
                            && "master".equals(Topology.infoField(s.port(), "replication", "role")))
                .toList()
            : ((RedisCluster) topology).masters();
    for (RedisServer master : masters) {
      if (master.isRunning()) {
        Topology.call(master.port(), "FLUSHALL");
      }
    }
    if (leakCheck(context)) {
      context.getStore(NAMESPACE).put(Baseline.class, new Baseline(Leaks.jasynqThreads()));
    }
  }

  /** Fails the test if it left new {@code jasynq-*} threads behind. */
  @Override
  public void afterEach(ExtensionContext context) {
    Baseline baseline = context.getStore(NAMESPACE).remove(Baseline.class, Baseline.class);
    if (baseline != null) {
      Leaks.awaitNoNewJasynqThreads(baseline.threads(), LEAK_CHECK_WAIT);
    }
  }

  /** Supports a {@link RedisSentinel} or {@link RedisCluster} parameter, matching the class. */
  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    Class<?> type = parameterContext.getParameter().getType();
    Optional<Class<?>> expected = kind(context);
    return expected.isPresent() && type == expected.get();
  }

  /** Returns the class's topology. */
  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    return topology(context);
  }

  private static AutoCloseable topology(ExtensionContext context) {
    Class<?> kind =
        kind(context)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        "RedisTopologyExtension needs @RedisSentinelTest or @RedisClusterTest"));
    return TestClassContext.of(context)
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            kind,
            key -> kind == RedisSentinel.class ? RedisSentinel.start() : RedisCluster.start(),
            AutoCloseable.class);
  }

  private static Optional<Class<?>> kind(ExtensionContext context) {
    return TestClassContext.findOutwards(
        context,
        type -> {
          if (AnnotationSupport.isAnnotated(type, RedisSentinelTest.class)) {
            return Optional.of(RedisSentinel.class);
          }
          if (AnnotationSupport.isAnnotated(type, RedisClusterTest.class)) {
            return Optional.of(RedisCluster.class);
          }
          return Optional.empty();
        });
  }

  private static boolean leakCheck(ExtensionContext context) {
    return TestClassContext.findOutwards(
            context,
            type ->
                AnnotationSupport.findAnnotation(type, RedisSentinelTest.class)
                    .map(RedisSentinelTest::leakCheck)
                    .or(
                        () ->
                            AnnotationSupport.findAnnotation(type, RedisClusterTest.class)
                                .map(RedisClusterTest::leakCheck)))
        .orElse(true);
  }
}

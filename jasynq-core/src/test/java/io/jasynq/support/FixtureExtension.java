package io.jasynq.support;

import java.lang.reflect.Constructor;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a per-test fixture of type {@code T}: built on first use by its one constructor, whose
 * parameters JUnit resolves (the testkit's {@code RedisServer}, {@code TestRedis}, {@code
 * FakeClock}, ...), the same instance in the test's constructor, lifecycle and test methods, and
 * closed after the test's {@code @AfterEach} methods. Register it after the testkit's extension, so
 * that the fixture is closed before the testkit's leak check (extensions' afterEach run in
 * reverse). Stateless: the fixture lives in JUnit's store. A subclass names the fixture's type.
 *
 * @param <T> the fixture
 */
public abstract class FixtureExtension<T extends AutoCloseable>
    implements ParameterResolver, AfterEachCallback {
  private final Class<T> type;
  private final ExtensionContext.Namespace namespace;

  private record FixtureKey(String uniqueId) {}

  /** For the fixture {@code type}, which has exactly one constructor. */
  protected FixtureExtension(Class<T> type) {
    this.type = type;
    this.namespace = ExtensionContext.Namespace.create(getClass());
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    return parameterContext.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    return context
        .getStore(namespace)
        .getOrComputeIfAbsent(new FixtureKey(context.getUniqueId()), key -> open(context), type);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    T fixture = context.getStore(namespace).remove(new FixtureKey(context.getUniqueId()), type);
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Resolves constructor parameters in the test method's context, as the testkit does. */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(
      ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  private T open(ExtensionContext context) {
    Constructor<?>[] constructors = type.getDeclaredConstructors();
    if (constructors.length != 1) {
      throw new IllegalStateException(type + " must have exactly one constructor");
    }
    constructors[0].setAccessible(true);
    return type.cast(context.getExecutableInvoker().invoke(constructors[0]));
  }
}

package io.jasynq.testkit;

import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * How the kit's extensions find a test class's settings and shared state, written once: the
 * annotation is looked up on the test class, then on its enclosing classes (so {@code @Nested}
 * classes inherit it), and per-class state lives in the class's context, not the method's.
 */
final class TestClassContext {
  private TestClassContext() {}

  /** The context of the test class {@code context} runs in (itself when it is a class context). */
  static ExtensionContext of(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext;
  }

  /**
   * The first answer of {@code find} for the test class of {@code context}, then for each of its
   * enclosing classes outwards; empty when none answers.
   */
  static <T> Optional<T> findOutwards(
      ExtensionContext context, Function<Class<?>, Optional<T>> find) {
    Optional<Class<?>> type = context.getTestClass();
    while (type.isPresent()) {
      Optional<T> found = find.apply(type.get());
      if (found.isPresent()) {
        return found;
      }
      type = Optional.ofNullable(type.get().getEnclosingClass());
    }
    return Optional.empty();
  }
}

package io.jasynq.spring.boot.test;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registered in {@code META-INF/spring.factories}: finds {@link EmbeddedRedis} on a test class (or
 * the class enclosing a {@code @Nested} one) and adds an {@link EmbeddedRedisContextCustomizer} to
 * its context. Not for direct use.
 */
final class EmbeddedRedisContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    EmbeddedRedis annotation =
        TestContextAnnotationUtils.findMergedAnnotation(testClass, EmbeddedRedis.class);
    return annotation == null
        ? null
        : new EmbeddedRedisContextCustomizer(annotation.wiring(), annotation.password());
  }
}

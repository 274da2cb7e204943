package io.jasynq.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against its own real redis-server, via {@link RedisExtension}: one server per
 * class (shared with its {@code @Nested} classes), flushed before every test, with leak checks
 * after every test. Test constructors, test methods and lifecycle methods may declare {@link
 * RedisServer}, {@link TestRedis} and {@link FakeClock} parameters.
 *
 * <pre>{@code
 * @RedisTest
 * class JanitorTest {
 *   @Test
 *   void deletesOnlyCompletedTasksPastRetention(RedisServer server, TestRedis redis, FakeClock clock) {
 *     ...
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RedisExtension.class)
public @interface RedisTest {
  /**
   * Whether each test fails if it leaves a {@code jasynq-*} thread or a Redis connection open
   * (checked after its {@code @AfterEach} methods, allowing 5 seconds for each to go away). Turn
   * off for tests that run in parallel in one JVM, since they would see each other's threads.
   *
   * @return true (the default) to check
   */
  boolean leakCheck() default true;
}

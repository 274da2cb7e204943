package io.jasynq.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against its own a Redis Sentinel topology ({@link RedisSentinel}: master,
 * replica, three sentinels), via {@link RedisTopologyExtension}: one topology per class (shared
 * with its {@code @Nested} classes), {@code FLUSHALL} on the masters before every test, and the
 * {@code jasynq-*} thread leak check after every test. Test constructors, test methods and
 * lifecycle methods may declare a {@link RedisSentinel} parameter.
 *
 * <p>Tagged {@value RedisTopologyExtension#TAG}, so {@code -Dgroups='!topology'} skips these slower
 * classes.
 *
 * <pre>{@code
 * @RedisSentinelTest
 * class FailoverTest {
 *   @Test
 *   void survivesFailover(RedisSentinel sentinel) {
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
@Tag(RedisTopologyExtension.TAG)
@ExtendWith(RedisTopologyExtension.class)
public @interface RedisSentinelTest {
  /**
   * Whether each test fails if it leaves a {@code jasynq-*} thread running (checked after its
   * {@code @AfterEach} methods, allowing 5 seconds for threads to go away).
   *
   * @return true (the default) to check
   */
  boolean leakCheck() default true;
}

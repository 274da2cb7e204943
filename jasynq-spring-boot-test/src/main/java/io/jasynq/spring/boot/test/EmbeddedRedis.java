package io.jasynq.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a Spring test's application context a throwaway {@code redis-server} from jasynq-testkit,
 * wired in before the context refreshes:
 *
 * <pre>{@code
 * @SpringBootTest
 * @EmbeddedRedis
 * class SignupsTest {
 *   @Autowired JasynqTemplate jasynq;      // talks to the embedded Redis
 *   @Autowired RedisServer redis;          // the server itself: stop() it to test health DOWN
 * }
 * }</pre>
 *
 * <p>The server starts on a free loopback port when the context is created and is registered as the
 * singleton bean {@value #BEAN_NAME} ({@link io.jasynq.testkit.RedisServer}). With {@link
 * Wiring#SPRING_DATA_REDIS} (the default) it becomes the application's Redis: {@code
 * spring.data.redis.url}, {@code host}, {@code port} (and {@code password}) are set ahead of every
 * other property source, so jasynq and Spring Data Redis both use it. With {@link
 * Wiring#JASYNQ_URI} only {@code jasynq.redis.uri} is set and the application's own Redis settings
 * are left alone. Sentinel or Cluster settings in the application's properties win over these, as
 * they do over {@code spring.data.redis.url} in Boot: don't combine them.
 *
 * <p><b>Lifetime.</b> One server per distinct context: Spring's test-context cache shares a context
 * (and its server) between test classes with the same configuration, and the server is closed when
 * that context closes, after every other bean has been destroyed (jasynq's server, scheduler and
 * connections first), so shutdown never finds Redis gone. A test kit shutdown hook kills any server
 * still running when the JVM exits. Needs a {@code redis-server} binary: see {@link
 * io.jasynq.testkit.RedisBinary#locate()}.
 *
 * @since 0.1
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedRedis {
  /** The name of the {@link io.jasynq.testkit.RedisServer} bean: {@value}. */
  String BEAN_NAME = "jasynqEmbeddedRedis";

  /**
   * Which properties point at the server.
   *
   * @return {@link Wiring#SPRING_DATA_REDIS} unless set
   */
  Wiring wiring() default Wiring.SPRING_DATA_REDIS;

  /**
   * A password the server requires ({@code requirepass}); empty for none. It is set in the wired
   * properties too.
   *
   * @return the password, or empty
   */
  String password() default "";

  /** Which properties {@link EmbeddedRedis} sets. */
  enum Wiring {
    /** {@code spring.data.redis.url/host/port/password}: the application's Redis, and jasynq's. */
    SPRING_DATA_REDIS,
    /** Only {@code jasynq.redis.uri}: jasynq's Redis, separate from the application's. */
    JASYNQ_URI
  }
}

package io.jasynq.examples.springboot;

import io.jasynq.embedded.RedisProcess;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot web app on jasynq-spring-boot-starter: {@link Signups} enqueues an {@code
 * email:welcome} task per signup, {@link WelcomeEmails} handles it. Listens on port 8080 ({@code
 * SERVER_PORT} changes it); Ctrl-C stops it cleanly.
 *
 * <p>Redis: {@code REDIS_URL} when set, else a throwaway {@code redis-server} started for the app's
 * lifetime (as {@code ./jasynq demo} does).
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 ./mvnw -q -pl examples/spring-boot -am compile exec:java
 * </pre>
 */
@SpringBootApplication
public class SignupApp {
  private static final Logger log = LoggerFactory.getLogger(SignupApp.class);

  public static void main(String[] args) {
    application(System.getenv("REDIS_URL")).run(args);
  }

  /**
   * The app on {@code redisUrl}; null or blank starts a throwaway {@code redis-server} that stops
   * when the context closes.
   */
  static SpringApplication application(String redisUrl) {
    SpringApplication app = new SpringApplication(SignupApp.class);
    if (redisUrl == null || redisUrl.isBlank()) {
      // Ctrl-C closes the context first (its shutdown hook), this Redis last: the grace keeps the
      // test kit's own exit hook from killing it under the app, and its own session keeps the
      // terminal's SIGINT from reaching it.
      RedisProcess redis = RedisProcess.builder().exitGrace(Duration.ofSeconds(10)).start();
      log.info("no REDIS_URL: started redis-server {} at {}", redis.version(), redis.uri());
      app.addInitializers(context -> closeWith(context, redis));
      redisUrl = redis.uri();
    }
    // jasynq uses the app's Redis (spring.data.redis.*) unless jasynq.redis.uri is set.
    app.setDefaultProperties(Map.of("spring.data.redis.url", redisUrl));
    return app;
  }

  private static void closeWith(ConfigurableApplicationContext context, RedisProcess redis) {
    // Registered first, so destroyed last: after jasynq's server, client and connections.
    ((DefaultSingletonBeanRegistry) context.getBeanFactory())
        .registerDisposableBean("embeddedRedis", redis::close);
  }
}

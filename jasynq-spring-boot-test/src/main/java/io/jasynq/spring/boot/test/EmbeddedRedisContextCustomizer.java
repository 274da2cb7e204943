package io.jasynq.spring.boot.test;

import io.jasynq.testkit.RedisServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the {@link RedisServer} for one application context, puts the properties of {@link
 * EmbeddedRedis#wiring()} first in its environment and registers the server as a bean that is
 * destroyed last. A record: two test classes with the same settings get equal customizers, so
 * Spring's context cache can share their context.
 */
record EmbeddedRedisContextCustomizer(EmbeddedRedis.Wiring wiring, String password)
    implements ContextCustomizer {

  /** The name of the property source holding the wired properties. */
  static final String PROPERTY_SOURCE = "jasynqEmbeddedRedis";

  @Override
  public void customizeContext(
      ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
    RedisServer.Builder builder = RedisServer.builder();
    if (!password.isEmpty()) {
      builder = builder.password(password);
    }
    RedisServer redis = builder.start();
    try {
      context.getEnvironment().getPropertySources().addFirst(propertySource(redis));
      ConfigurableListableBeanFactory beans = context.getBeanFactory();
      beans.registerSingleton(EmbeddedRedis.BEAN_NAME, redis);
      // Registered before any other bean exists, so destroyed after all of them (Spring destroys
      // disposable singletons in reverse order of registration).
      ((DefaultSingletonBeanRegistry) beans)
          .registerDisposableBean(EmbeddedRedis.BEAN_NAME, redis::close);
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  private MapPropertySource propertySource(RedisServer redis) {
    Map<String, Object> properties = new LinkedHashMap<>();
    String userInfo =
        password.isEmpty() ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
    String uri = "redis://" + userInfo + redis.host() + ":" + redis.port();
    if (wiring == EmbeddedRedis.Wiring.JASYNQ_URI) {
      properties.put("jasynq.redis.uri", uri);
    } else {
      properties.put("spring.data.redis.url", uri);
      properties.put("spring.data.redis.host", redis.host());
      properties.put("spring.data.redis.port", redis.port());
      if (!password.isEmpty()) {
        properties.put("spring.data.redis.password", password);
      }
    }
    return new MapPropertySource(PROPERTY_SOURCE, properties);
  }

  /** Shows the settings, never the password. */
  @Override
  public String toString() {
    return "EmbeddedRedisContextCustomizer["
        + wiring
        + (password.isEmpty() ? "" : ", password")
        + "]";
  }
}

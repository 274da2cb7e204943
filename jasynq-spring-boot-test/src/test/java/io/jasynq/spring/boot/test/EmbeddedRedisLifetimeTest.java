package io.jasynq.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Server;
import io.jasynq.spring.boot.TaskHandler;
import io.jasynq.testkit.RedisServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ContextCustomizer;

/**
 * The customizer on a context built by hand, so that the test can look after it closes: the server
 * outlives every other bean and is stopped with the context.
 */
class EmbeddedRedisLifetimeTest {

  @Test
  void theServerStopsWithTheContextAfterEveryOtherBean() {
    ContextCustomizer customizer =
        new EmbeddedRedisContextCustomizerFactory()
            .createContextCustomizer(Annotated.class, List.of());
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("jasynq.server.shutdown-timeout=1s")
            .initializers(ctx -> customizer.customizeContext(ctx, null))
            .run();
    RedisServer redis = context.getBean(EmbeddedRedis.BEAN_NAME, RedisServer.class);
    Probe probe = context.getBean(Probe.class);
    assertThat(context.getBean(Server.class)).isNotNull();
    assertThat(redis.isRunning()).isTrue();

    context.close();

    assertThat(probe.redisRunningWhenDestroyed).containsExactly(true);
    assertThat(redis.isRunning()).isFalse();
  }

  @Test
  void equalSettingsMakeEqualCustomizersSoTheContextCacheSharesTheServer() {
    var factory = new EmbeddedRedisContextCustomizerFactory();
    assertThat(factory.createContextCustomizer(Annotated.class, List.of()))
        .isEqualTo(factory.createContextCustomizer(AlsoAnnotated.class, List.of()))
        .isNotEqualTo(factory.createContextCustomizer(WithPassword.class, List.of()));
    assertThat(factory.createContextCustomizer(NotAnnotated.class, List.of())).isNull();
    assertThat(factory.createContextCustomizer(WithPassword.class, List.of()).toString())
        .doesNotContain("pw");
  }

  @EmbeddedRedis
  static class Annotated {}

  @EmbeddedRedis
  static class AlsoAnnotated {}

  @EmbeddedRedis(password = "pw")
  static class WithPassword {}

  static class NotAnnotated {}

  /** Records, when destroyed, whether the embedded server was still running. */
  static class Probe implements DisposableBean {
    final List<Boolean> redisRunningWhenDestroyed = new CopyOnWriteArrayList<>();
    private final RedisServer redis;

    Probe(RedisServer redis) {
      this.redis = redis;
    }

    @TaskHandler("noop")
    void noop() {}

    @Override
    public void destroy() {
      redisRunningWhenDestroyed.add(redis.isRunning());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Probe probe(RedisServer jasynqEmbeddedRedis) {
      return new Probe(jasynqEmbeddedRedis);
    }
  }
}

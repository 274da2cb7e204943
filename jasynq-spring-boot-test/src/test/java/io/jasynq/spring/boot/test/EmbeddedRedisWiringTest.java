package io.jasynq.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.RedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/** {@link EmbeddedRedis.Wiring#JASYNQ_URI} with a password. */
@SpringBootTest(classes = EmbeddedRedisWiringTest.App.class)
@EmbeddedRedis(wiring = EmbeddedRedis.Wiring.JASYNQ_URI, password = "s3cret/+")
class EmbeddedRedisWiringTest {

  @Autowired RedisServer redis;
  @Autowired Environment environment;
  @Autowired RedisConnector connector;

  @Test
  void onlyJasynqIsPointedAtTheServerWithTheEncodedPassword() {
    assertThat(environment.getProperty("jasynq.redis.uri"))
        .isEqualTo("redis://:s3cret%2F%2B@" + redis.host() + ":" + redis.port());
    assertThat(environment.getProperty("spring.data.redis.url")).isNull();
    assertThat(environment.getProperty("spring.data.redis.port")).isNull();
  }

  @Test
  void jasynqConnectsWithThePassword() {
    try (var inspector = io.jasynq.Inspector.create(connector)) {
      inspector.ping();
    }
    assertThat(connector.toString()).doesNotContain("s3cret");
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}

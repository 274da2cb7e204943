package io.jasynq.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Inspector;
import io.jasynq.TaskContext;
import io.jasynq.spring.boot.JasynqTemplate;
import io.jasynq.spring.boot.TaskHandler;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** {@link EmbeddedRedis} in a real {@code @SpringBootTest}, as a user writes one. */
@SpringBootTest(
    classes = EmbeddedRedisTest.App.class,
    properties = "jasynq.server.shutdown-timeout=1s")
@EmbeddedRedis
class EmbeddedRedisTest {

  @Autowired JasynqTemplate jasynq;
  @Autowired Inspector inspector;
  @Autowired Greetings greetings;
  @Autowired RedisServer redis;
  @Autowired Environment environment;

  @Value("${spring.data.redis.port}")
  int springDataRedisPort;

  @Test
  void theApplicationsRedisIsTheEmbeddedServer() {
    assertThat(redis.isRunning()).isTrue();
    assertThat(springDataRedisPort).isEqualTo(redis.port());
    assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo(redis.uri());
    assertThat(environment.getProperty("jasynq.redis.uri")).isNull();
  }

  @Test
  void aTaskEnqueuedByTheTemplateIsHandledOnTheEmbeddedRedis() {
    String id = jasynq.enqueue("greet", new Greeting("ada")).id();

    Eventually.until("the handler ran", () -> greetings.ids.contains(id));
    assertThat(greetings.names).contains("ada");
    assertThat(inspector.queues()).contains("default");
  }

  /** A nested class inherits the annotation and, with the same configuration, the context. */
  @Nested
  class Nested_ {
    @Autowired RedisServer nestedRedis;

    @Test
    void sharesTheEnclosingClassesServer() {
      assertThat(nestedRedis).isSameAs(redis);
    }
  }

  record Greeting(String name) {}

  static class Greetings {
    final List<String> names = new CopyOnWriteArrayList<>();
    final List<String> ids = new CopyOnWriteArrayList<>();

    @TaskHandler("greet")
    void greet(Greeting greeting, TaskContext context) {
      names.add(greeting.name());
      ids.add(context.taskId());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Greetings.class)
  static class App {}
}

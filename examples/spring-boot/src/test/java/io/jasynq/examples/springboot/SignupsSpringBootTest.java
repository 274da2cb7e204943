package io.jasynq.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.RedisServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app in a Spring test, on a Redis from jasynq-testkit. The pattern to copy for your own tests:
 * a static {@link RedisServer}, wired in with {@link DynamicPropertySource}, and
 * {@code @DirtiesContext} so that the context (and jasynq's server with it) closes after the class,
 * while its Redis still runs. The testkit's JVM shutdown hook stops the redis-server at the end.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "jasynq.server.shutdown-timeout=1s")
@DirtiesContext
class SignupsSpringBootTest {
  static final RedisServer redis = RedisServer.start();

  @DynamicPropertySource
  static void redisProperties(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.host", redis::host);
    registry.add("spring.data.redis.port", redis::port);
  }

  @LocalServerPort int port;

  @Test
  void aSignupIsWelcomedByTheTaskHandlerWithTheEmailItWasGiven() {
    HttpResponse<String> posted = Http.post(port, "/signups?email=ada@example.com");
    assertThat(posted.statusCode()).isEqualTo(202);
    String id = Http.field(posted.body(), "id");
    assertThat(id).isNotBlank();

    Http.await(
        "the task completed",
        () -> "completed".equals(Http.field(Http.get(port, "/signups/" + id).body(), "state")));
    String status = Http.get(port, "/signups/" + id).body();
    assertThat(Http.field(status, "type")).isEqualTo("email:welcome");
    assertThat(Http.field(status, "result")).isEqualTo("sent welcome to ada@example.com");
  }

  @Test
  void anUnknownTaskIsNotFound() {
    assertThat(Http.get(port, "/signups/no-such-task").statusCode()).isEqualTo(404);
  }

  @Test
  void aSignupWithoutAnEmailIsABadRequest() {
    assertThat(Http.post(port, "/signups").statusCode()).isEqualTo(400);
  }
}

package io.jasynq.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.spring.boot.test.EmbeddedRedis;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The app in a Spring test, on a throwaway Redis. The pattern to copy for your own tests: {@link
 * EmbeddedRedis} (from {@code jasynq-spring-boot-test}) starts a redis-server for the test's
 * context, points {@code spring.data.redis.*} at it, and stops it when the context closes, after
 * jasynq's server and connections.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "jasynq.server.shutdown-timeout=1s")
@EmbeddedRedis
class SignupsSpringBootTest {
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

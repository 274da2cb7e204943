package io.jasynq.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.Leaks;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The app as {@code main} starts it without {@code REDIS_URL}: on its own throwaway Redis. */
@ExtendWith(OutputCaptureExtension.class)
class SignupAppSpringBootTest {

  @Test
  void handlesASignupOnItsOwnRedisAndClosesWithoutThreadsOrWarnings(CapturedOutput output) {
    Set<Thread> before = Leaks.jasynqThreads();
    try (ConfigurableApplicationContext context =
        SignupApp.application(null).run("--server.port=0", "--jasynq.server.shutdown-timeout=1s")) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      String id = Http.field(Http.post(port, "/signups?email=grace@example.com").body(), "id");

      Http.await(
          "the handler logged",
          () -> output.getOut().contains("sent welcome to grace@example.com"));
      assertThat(output.getOut()).contains("(task " + id + ")");
    }
    Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
    assertThat(output.getAll().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")))
        .isEmpty();
  }
}

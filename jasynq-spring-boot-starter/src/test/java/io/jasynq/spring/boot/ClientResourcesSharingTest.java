package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClientResourcesSharingTest {
  @RegisterExtension static final BootRedis redis = new BootRedis();

  private static boolean ownEventLoops(Set<Thread> threads) {
    return threads.stream()
        .anyMatch(t -> t.getName().toLowerCase(java.util.Locale.ROOT).contains("loop"));
  }

  @Test
  void borrowsBootsClientResourcesAndIsDestroyedBeforeThem() {
    Set<Thread> before = Leaks.jasynqThreads();
    try (var context = Apps.run(Apps.EmailApp.class, redis.properties())) {
      String[] resources = context.getBeanNamesForType(ClientResources.class);
      assertThat(resources).hasSize(1);
      assertThat(context.getBeanFactory().getDependentBeans(resources[0]))
          .contains(JasynqAutoConfiguration.CONNECTOR_BEAN);
      context.getBean(JasynqTemplate.class).enqueue("email:welcome", new Apps.Welcome("b", 1));
      Apps.Emails emails = context.getBean(Apps.Emails.class);
      Eventually.until("the handler ran", () -> !emails.received.isEmpty());
      assertThat(ownEventLoops(Leaks.jasynqThreads())).as("jasynq's own event loops").isFalse();
    }
    Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
  }

  @Test
  void ownsItsResourcesWithJasynqRedisUri() {
    try (var context =
        Apps.run(Apps.EmailApp.class, redis.properties("jasynq.redis.uri=" + redis.uri()))) {
      context.getBean(JasynqTemplate.class).enqueue("email:welcome", new Apps.Welcome("c", 1));
      Apps.Emails emails = context.getBean(Apps.Emails.class);
      Eventually.until("the handler ran", () -> !emails.received.isEmpty());
      assertThat(ownEventLoops(Leaks.jasynqThreads())).as("jasynq's own event loops").isTrue();
    }
  }
}

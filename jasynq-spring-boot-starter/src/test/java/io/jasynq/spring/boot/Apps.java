package io.jasynq.spring.boot;

import io.jasynq.TaskContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** Small applications for the tests. */
final class Apps {
  private Apps() {}

  /**
   * Leaves out Spring Boot's Spring Security auto-configuration, which spring-boot-starter-security
   * (a test dependency, for {@link JasynqDashboardSecurityTest}) would otherwise apply to every web
   * test: a locked-down default filter chain.
   */
  static final String WITHOUT_SPRING_SECURITY =
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.web.servlet"
          + ".ServletWebSecurityAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.web.servlet"
          + ".SecurityFilterAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.actuate.web.servlet"
          + ".ManagementWebSecurityAutoConfiguration";

  static ConfigurableApplicationContext run(Class<?> app, String... properties) {
    return new SpringApplicationBuilder(app)
        .web(WebApplicationType.NONE)
        .properties(properties)
        .run();
  }

  record Welcome(String email, int attempt) {}

  /** Handles email:welcome with a typed payload and the task context. */
  static class Emails {
    final List<Welcome> received = new CopyOnWriteArrayList<>();
    final List<String> taskIds = new CopyOnWriteArrayList<>();

    @TaskHandler("email:welcome")
    void welcome(Welcome payload, TaskContext context) {
      received.add(payload);
      taskIds.add(context.taskId());
    }
  }

  /** Blocks until interrupted: a handler still running when the context closes. */
  static class Slow {
    final CountDownLatch started = new CountDownLatch(1);

    @TaskHandler("slow")
    void slow(String payload) throws InterruptedException {
      started.countDown();
      new CountDownLatch(1).await();
    }
  }

  /** Records whether its worker thread is virtual. */
  static class ThreadProbe {
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    @TaskHandler("probe")
    void probe() {
      threads.add(Thread.currentThread());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Emails.class)
  static class EmailApp {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Slow.class)
  static class SlowApp {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(ThreadProbe.class)
  static class ProbeApp {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class NoHandlerApp {}
}

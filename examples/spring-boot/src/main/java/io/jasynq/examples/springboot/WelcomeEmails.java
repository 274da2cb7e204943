package io.jasynq.examples.springboot;

import io.jasynq.TaskContext;
import io.jasynq.spring.boot.TaskHandler;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Handles {@code email:welcome} tasks; the starter runs it on the jasynq server's workers. */
@Component
class WelcomeEmails {
  private static final Logger log = LoggerFactory.getLogger(WelcomeEmails.class);

  /** The payload arrives bound from JSON by Boot's JsonMapper. */
  @TaskHandler(Signups.WELCOME)
  void welcome(Welcome welcome, TaskContext context) {
    String sent = "sent welcome to " + welcome.email();
    log.info("{} (task {})", sent, context.taskId());
    // Kept with the completed task (see the retention in Signups): GET /signups/{id} shows it.
    context.writeResult(sent.getBytes(StandardCharsets.UTF_8));
  }
}

package io.jasynq.examples.springboot;

import io.jasynq.Inspector;
import io.jasynq.QueueNotFoundException;
import io.jasynq.TaskInfo;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskOption;
import io.jasynq.spring.boot.JasynqTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /signups?email=...} enqueues a welcome e-mail and answers at once with the task's id;
 * {@code GET /signups/{id}} tells how that task is doing.
 */
@RestController
@RequestMapping("/signups")
class Signups {
  static final String WELCOME = "email:welcome";

  /** Completed tasks stay in Redis this long, so that their state and result can be read. */
  static final Duration RETENTION = Duration.ofHours(1);

  private final JasynqTemplate jasynq;
  private final Inspector inspector;

  Signups(JasynqTemplate jasynq, Inspector inspector) {
    this.jasynq = jasynq;
    this.inspector = inspector;
  }

  /** The answer to a signup: the id of the task that sends the welcome e-mail. */
  record Accepted(String id) {}

  /** A task's state and, once completed, its handler's result. */
  record Status(String id, String type, String state, int retried, @Nullable String result) {}

  @PostMapping
  ResponseEntity<Accepted> signUp(@RequestParam("email") String email) {
    TaskInfo info = jasynq.enqueue(WELCOME, new Welcome(email), TaskOption.retention(RETENTION));
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(info.id()));
  }

  @GetMapping("/{id}")
  ResponseEntity<Status> status(@PathVariable("id") String id) {
    try {
      TaskInfo info = inspector.taskInfo(TaskOption.DEFAULT_QUEUE, id);
      String result = info.result().map(r -> new String(r, StandardCharsets.UTF_8)).orElse(null);
      return ResponseEntity.ok(
          new Status(id, info.type(), info.state().wireName(), info.retried(), result));
    } catch (TaskNotFoundException | QueueNotFoundException e) {
      return ResponseEntity.notFound().build();
    }
  }
}

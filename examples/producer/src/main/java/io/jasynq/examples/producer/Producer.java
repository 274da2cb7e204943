package io.jasynq.examples.producer;

import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues a few {@code email:welcome} tasks and one reminder for later, then exits. Run the worker
 * example to process them.
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 ./mvnw -q -pl examples/producer -am compile exec:java
 * </pre>
 */
public final class Producer {
  private static final Logger log = LoggerFactory.getLogger(Producer.class);

  private Producer() {}

  public static void main(String[] args) {
    String redisUri = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    run(redisUri, count);
  }

  /** Enqueues {@code count} welcome e-mails now and one reminder in a minute; returns them all. */
  public static List<TaskInfo> run(String redisUri, int count) {
    List<TaskInfo> enqueued = new ArrayList<>();
    try (Client client = Client.connect(redisUri)) {
      for (int user = 1; user <= count; user++) {
        String payload = "{\"user_id\":" + user + "}";
        TaskInfo info = client.enqueue(Task.of("email:welcome", payload), maxRetry(3));
        log.info("enqueued {} {} in queue {}", info.type(), info.id(), info.queue());
        enqueued.add(info);
      }
      TaskInfo reminder =
          client.enqueue(
              Task.of("email:reminder", "{\"user_id\":1}"),
              queue("low"),
              processIn(Duration.ofMinutes(1)));
      log.info(
          "scheduled {} {} for {}",
          reminder.type(),
          reminder.id(),
          reminder.nextProcessAt().orElseThrow());
      enqueued.add(reminder);
    }
    return enqueued;
  }
}

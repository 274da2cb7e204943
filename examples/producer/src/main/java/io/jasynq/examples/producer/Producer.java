package io.jasynq.examples.producer;

import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.micrometer.JasynqMetrics;
import io.jasynq.micrometer.MetricNames;
import io.jasynq.opentelemetry.JasynqTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues a few {@code email:welcome} tasks and one reminder for later, then exits. Run the worker
 * example to process them. Each enqueue is timed (Micrometer) and traced (OpenTelemetry: a no-op
 * unless the OpenTelemetry Java agent is attached).
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
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // A no-op unless the OpenTelemetry Java agent (or the SDK's autoconfiguration) has installed an
    // SDK as the global OpenTelemetry: then each task carries its producer span's traceparent.
    run(redisUri, count, registry, GlobalOpenTelemetry.get());
    long timed =
        registry.find(MetricNames.CLIENT_ENQUEUE).timers().stream().mapToLong(Timer::count).sum();
    log.info("{} enqueues timed ({})", timed, MetricNames.CLIENT_ENQUEUE);
  }

  /**
   * Enqueues {@code count} welcome e-mails now and one reminder in a minute; returns them all.
   *
   * @param meters gets the client's {@code jasynq.client.enqueue} timers
   * @param openTelemetry traces each enqueue and puts the span's context in the task's headers
   */
  public static List<TaskInfo> run(
      String redisUri, int count, MeterRegistry meters, OpenTelemetry openTelemetry) {
    JasynqMetrics metrics = JasynqMetrics.builder(meters).build();
    JasynqTelemetry telemetry = JasynqTelemetry.builder(openTelemetry).build();
    List<TaskInfo> enqueued = new ArrayList<>();
    try (Client client =
        Client.builder()
            .uri(redisUri)
            .interceptor(metrics.enqueueInterceptor()) // first, so it times the tracing too
            .interceptor(telemetry.enqueueInterceptor())
            .build()) {
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

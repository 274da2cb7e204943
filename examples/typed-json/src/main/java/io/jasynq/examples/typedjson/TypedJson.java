package io.jasynq.examples.typedjson;

import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.queue;

import io.jasynq.Client;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.TaskInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed JSON payloads with Jackson: enqueues a {@link Welcome} record, lets a {@link Server} decode
 * and handle it as a {@code Welcome}, and exits.
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 ./mvnw -q -pl examples/typed-json -am compile exec:java
 * </pre>
 */
public final class TypedJson {
  private static final Logger log = LoggerFactory.getLogger(TypedJson.class);

  /** A queue of its own, so that the other examples' tasks are left alone. */
  static final String QUEUE = "typed-json";

  private TypedJson() {}

  public static void main(String[] args) throws Exception {
    String redisUri = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    Welcome sent = new Welcome(42, "ada@example.com", List.of("queues", "redis"));
    Welcome received = roundTrip(redisUri, sent, Duration.ofSeconds(30));
    log.info("handled {}; equal to what was sent: {}", received, received.equals(sent));
  }

  /** Enqueues {@code welcome} as JSON and returns the record its handler received. */
  public static Welcome roundTrip(String redisUri, Welcome welcome, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<Welcome> received = new CompletableFuture<>();
    ServeMux mux =
        new ServeMux()
            .handle(
                "email:welcome",
                JsonTasks.handler(
                    Welcome.class,
                    w -> {
                      log.info("welcome e-mail to {} (user {})", w.email(), w.userId());
                      received.complete(w);
                    }));
    try (Client client = Client.connect(redisUri);
        Server server = Server.connect(redisUri, ServerConfig.builder().queue(QUEUE, 1).build())) {
      server.start(mux);
      TaskInfo info =
          client.enqueue(JsonTasks.task("email:welcome", welcome, queue(QUEUE)), maxRetry(3));
      log.info("enqueued {} {}", info.id(), new String(info.payload(), StandardCharsets.UTF_8));
      return received.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}

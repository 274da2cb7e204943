package io.jasynq.examples.typedjson;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

@RedisTest
class TypedJsonTest {

  @Test
  void theHandlerReceivesTheRecordThatWasEnqueued(RedisServer redis) throws Exception {
    Welcome sent = new Welcome(42, "ada@example.com", List.of("queues", "redis"));

    Welcome received = TypedJson.roundTrip(redis.uri(), sent, Duration.ofSeconds(30));

    assertThat(received).isEqualTo(sent);
  }

  @Test
  void thePayloadIsSnakeCaseJson() {
    Task task = JsonTasks.task("email:welcome", new Welcome(7, "b@example.com", List.of()));

    assertThat(new String(task.payload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"user_id\":7,\"email\":\"b@example.com\",\"interests\":[]}");
  }

  @Test
  void aPayloadThatIsNotAWelcomeIsArchivedWithoutRetries(RedisServer redis, TestRedis inspect)
      throws Exception {
    AtomicBoolean called = new AtomicBoolean();
    ServeMux mux =
        new ServeMux()
            .handle("email:welcome", JsonTasks.handler(Welcome.class, w -> called.set(true)));
    try (Client client = Client.connect(redis.uri());
        Server server =
            Server.connect(redis.uri(), ServerConfig.builder().queue("typed-json", 1).build())) {
      TaskInfo info =
          client.enqueue(
              Task.of("email:welcome", "{\"user_id\":\"not a number\"}"),
              TaskOption.queue("typed-json"));
      server.start(mux);
      String key = "asynq:{typed-json}:t:" + info.id();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!"archived".equals(inspect.hget(key, "state"))) {
        assertThat(System.nanoTime()).as("archived in time").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
    assertThat(called).isFalse();
  }
}

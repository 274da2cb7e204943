package io.jasynq.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisBinary;
import io.jasynq.testkit.RedisServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What the TLS tests of one redis-server share: the binary, the connector, the round trip. */
final class TlsChecks {
  private TlsChecks() {}

  /** The redis-server binary; skips the calling test class when it was built without TLS. */
  static RedisBinary tlsBinary() {
    RedisBinary binary = RedisBinary.locate();
    assumeTrue(binary.supportsTls(), binary + " was built without TLS: skipping TLS tests");
    return binary;
  }

  /** A connector to {@code target}'s TLS port, with 5-second connect and command timeouts. */
  static RedisConnector.Builder tls(RedisServer target) {
    return RedisConnector.builder()
        .uri(target.tlsUri())
        .connectTimeout(Duration.ofSeconds(5))
        .commandTimeout(Duration.ofSeconds(5));
  }

  /**
   * A client enqueues a task of {@code type}, a server runs it and an inspector sees it processed,
   * all over {@code redis}.
   */
  static void roundTrip(RedisConnector redis, String type) {
    Set<String> ran = ConcurrentHashMap.newKeySet();
    try (Client client = Client.create(redis);
        Server worker =
            Server.create(
                redis, ServerConfig.builder().taskCheckInterval(Duration.ofMillis(20)).build());
        Inspector inspector = Inspector.create(redis)) {
      TaskInfo info = client.enqueue(Task.of(type));
      worker.start(ctx -> ran.add(ctx.task().type()));
      Eventually.until(Duration.ofSeconds(20), "the task ran", () -> ran.contains(type));
      Eventually.until(
          Duration.ofSeconds(20),
          "the inspector sees it processed",
          () -> inspector.queueInfo(info.queue()).processedTotal() >= 1);
    }
  }
}

package io.jasynq.lifecycle;

import io.jasynq.Server;
import io.jasynq.ServerConfig;
import java.time.Duration;

/**
 * A server in a child JVM, for tests that kill or signal it. Prints "started &lt;task id&gt;" when
 * its handler starts, then holds the task until interrupted.
 *
 * <p>Usage: {@code ChildServer <redis uri>}.
 */
public final class ChildServer {
  private ChildServer() {}

  public static void main(String[] args) {
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(1)
            .taskCheckInterval(Duration.ofMillis(20))
            .heartbeatInterval(Duration.ofMillis(200))
            .shutdownTimeout(Duration.ofMillis(500))
            .build();
    Server server = Server.connect(args[0], config);
    server.run(
        ctx -> {
          System.out.println("started " + ctx.taskId());
          System.out.flush();
          Thread.sleep(120_000);
        });
  }
}

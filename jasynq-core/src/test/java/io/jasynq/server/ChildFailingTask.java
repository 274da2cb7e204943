package io.jasynq.server;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import java.time.Duration;

/**
 * A server whose handler fails one task, with no ErrorHandler, then, once it is archived, shuts
 * down. Prints "failed &lt;task id&gt;" once the handler has thrown.
 *
 * <p>Usage: {@code ChildFailingTask <redis uri>}.
 */
public final class ChildFailingTask {
  private ChildFailingTask() {}

  public static void main(String[] args) throws InterruptedException {
    TaskInfo info;
    try (Client client = Client.connect(args[0])) {
      info = client.enqueue(Task.of("report:build"), TaskOption.maxRetry(0));
    }
    ServerConfig config =
        ServerConfig.builder().concurrency(1).taskCheckInterval(Duration.ofMillis(20)).build();
    try (Server server = Server.connect(args[0], config);
        Inspector inspector = Inspector.connect(args[0])) {
      server.start(
          ctx -> {
            throw new IllegalStateException("no template for report");
          });
      // Shut down only once it is archived: a failure during a shutdown is requeued instead.
      while (inspector.taskInfo("default", info.id()).state() != TaskState.ARCHIVED) {
        Thread.sleep(20);
      }
    }
    System.out.println("failed " + info.id());
  }
}

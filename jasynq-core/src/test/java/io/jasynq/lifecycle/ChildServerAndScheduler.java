package io.jasynq.lifecycle;

import io.jasynq.Scheduler;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskContext;
import java.time.Duration;

/**
 * A Scheduler started next to a Server run until SIGTERM, in a child JVM, as an application would
 * run both. Prints "scheduler &lt;id&gt;" once started, "started &lt;task id&gt;" when its handler
 * starts and "saw isCancelled &lt;task id&gt;" when the handler notices the shutdown; the handler
 * polls {@link TaskContext#isCancelled()} and never sleeps long. The shutdown timeout is a minute,
 * far longer than a prompt exit takes.
 *
 * <p>Usage: {@code ChildServerAndScheduler <redis uri>}.
 */
public final class ChildServerAndScheduler {
  /** The server's shutdown timeout: a prompt exit takes much less. */
  static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

  private ChildServerAndScheduler() {}

  public static void main(String[] args) {
    Scheduler scheduler = Scheduler.connect(args[0]);
    scheduler.register("0 0 1 1 *", Task.of("cron:yearly"));
    scheduler.start();
    System.out.println("scheduler " + scheduler.schedulerId());
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(1)
            .taskCheckInterval(Duration.ofMillis(20))
            .shutdownTimeout(SHUTDOWN_TIMEOUT)
            .build();
    Server server = Server.connect(args[0], config);
    server.run(
        ctx -> {
          System.out.println("started " + ctx.taskId());
          System.out.flush();
          while (!ctx.isCancelled()) {
            Thread.sleep(10);
          }
          System.out.println("saw isCancelled " + ctx.taskId());
          System.out.flush();
          throw new InterruptedException("stopping for the shutdown");
        });
  }
}

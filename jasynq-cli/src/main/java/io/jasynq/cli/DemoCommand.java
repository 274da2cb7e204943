package io.jasynq.cli;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.unique;

import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.DuplicateTaskException;
import io.jasynq.Inspector;
import io.jasynq.QueueInfo;
import io.jasynq.RetryDelay;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskContext;
import io.jasynq.TaskIdConflictException;
import io.jasynq.TaskInfo;
import io.jasynq.embedded.RedisProcess;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jasynq demo}: enqueues one task of every kind and shows what Redis holds afterwards. Uses
 * {@code REDIS_URL} (or {@code --redis}) when given, otherwise starts a throwaway Redis. On Ctrl-C
 * a shutdown hook interrupts the demo and waits while it closes its client and server, then its
 * throwaway Redis, in that order. Reads Redis only through the public {@link Inspector}. Runs on
 * the calling thread.
 */
@Command(
    name = "demo",
    description = {
      "Enqueue sample tasks of every kind and show what Redis holds.",
      "Uses REDIS_URL (or --redis) when set, otherwise starts an embedded Redis."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--redis", description = "Redis URI; default $REDIS_URL, else an embedded Redis.")
  String redisUri = System.getenv("REDIS_URL");

  @Option(names = "--queue", description = "Queue prefix for the demo (default: ${DEFAULT-VALUE}).")
  String queuePrefix = "demo";

  /**
   * How long Ctrl-C waits for the demo to close: the embedded Redis's exit grace, so it outlives
   * the demo's own client and server.
   */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

  /** The exit status after Ctrl-C, as a shell reports SIGINT. */
  private static final int INTERRUPTED = 130;

  @Spec CommandSpec spec;

  @SuppressWarnings("NullAway.Init") // set first thing in call()
  private PrintWriter out;

  private volatile boolean exiting;

  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    CountDownLatch closed = new CountDownLatch(1);
    Thread demo = Thread.currentThread();
    Thread hook = new Thread(() -> stopOnExit(demo, closed), "jasynq-demo-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    RedisProcess embedded = null;
    try {
      String uri = redisUri;
      if (uri == null || uri.isBlank()) {
        out.println("No REDIS_URL given: starting an embedded Redis...");
        embedded = RedisProcess.builder().exitGrace(EXIT_GRACE).start();
        uri = embedded.uri();
        out.printf("  redis-server %s on %s%n%n", embedded.version(), uri);
      } else {
        out.printf("Using Redis at %s%n%n", uri.replaceAll("//[^@/]*@", "//***@"));
      }
      run(uri);
      return exiting ? INTERRUPTED : 0;
    } catch (RuntimeException e) {
      if (exiting) {
        out.println("Interrupted: the demo stopped.");
        return INTERRUPTED;
      }
      throw e;
    } finally {
      out.flush();
      try {
        if (embedded != null) {
          embedded.close();
        }
      } finally {
        closed.countDown();
        removeShutdownHook(hook);
      }
    }
  }

  /** The shutdown hook: interrupts the demo and waits until it has closed what it opened. */
  private void stopOnExit(Thread demo, CountDownLatch closed) {
    exiting = true;
    demo.interrupt();
    try {
      closed.await(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting (Ctrl-C): the hook has run or is running, nothing to remove.
    }
  }

  private void run(String uri) {
    String emails = queuePrefix + ":emails";
    String reports = queuePrefix + ":reports";
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String[]> rows = new ArrayList<>();
    try (Client client = Client.connect(uri)) {
      out.println("Enqueuing with " + client + ":");
      TaskInfo welcome = client.enqueue(Task.of("email:welcome", "{\"user\":42}"), queue(emails));
      rows.add(row("pending", welcome));
      TaskInfo reminder =
          client.enqueue(
              Task.of("email:reminder", "{\"user\":42}"),
              queue(emails),
              processIn(Duration.ofMinutes(10)));
      rows.add(row("scheduled in 10 min", reminder));
      TaskInfo report =
          client.enqueue(
              Task.of("report:daily", "{\"day\":\"" + run + "\"}"),
              queue(reports),
              unique(Duration.ofHours(1)),
              retention(Duration.ofHours(24)));
      rows.add(row("unique, kept 24h", report));
      try {
        client.enqueue(
            Task.of("report:daily", "{\"day\":\"" + run + "\"}"),
            queue(reports),
            unique(Duration.ofHours(1)));
      } catch (DuplicateTaskException e) {
        rows.add(new String[] {"same report again", "-", "rejected: " + e.getMessage()});
      }
      for (int i = 0; i < 3; i++) {
        rows.add(
            row(
                "grouped (digest)",
                client.enqueue(
                    Task.of("notify:digest", "{\"event\":" + i + "}"),
                    queue(emails),
                    group("user-42"))));
      }
      TaskInfo named =
          client.enqueue(Task.of("email:receipt"), queue(emails), taskId("receipt-" + run));
      rows.add(row("custom task id", named));
      try {
        client.enqueue(Task.of("email:receipt"), queue(emails), taskId("receipt-" + run));
      } catch (TaskIdConflictException e) {
        rows.add(new String[] {"same id again", "-", "rejected: " + e.getMessage()});
      }
      List<Task> batch =
          IntStream.range(0, 100)
              .mapToObj(i -> Task.of("email:newsletter", "{\"n\":" + i + "}"))
              .toList();
      List<BatchResult> results = client.enqueueBatch(batch, queue(emails));
      long ok = results.stream().filter(BatchResult::isSuccess).count();
      rows.add(new String[] {"batch of 100", "-", ok + " enqueued in one round trip"});
    }
    printTable(rows);
    out.println();
    printRedis(uri, emails, reports);
    out.println();
    process(uri, emails, reports);
    out.println();
    printRedis(uri, emails, reports);
    out.println();
    out.println("What the jasynq command shows (jasynq -u <redis> stats):");
    out.println();
    cli("-u", uri, "stats");
    out.println();
    out.println("A Go Asynq server, the asynq CLI and asynqmon read these queues as their own.");
    out.println("Next: ./jasynq --help (queue, task, group, server and cron commands).");
  }

  /** Runs a sibling jasynq command in this process, writing where the demo writes. */
  private void cli(String... args) {
    out.flush();
    CommandLine cli = Main.commandLine(Environment.system());
    cli.setOut(out);
    cli.setErr(spec.commandLine().getErr());
    if (cli.execute(args) != 0) {
      throw new IllegalStateException("jasynq " + String.join(" ", args) + " failed");
    }
  }

  /** Runs a server until every task due now is done, printing what it does. */
  private void process(String uri, String emails, String reports) {
    AtomicInteger newsletters = new AtomicInteger();
    AtomicInteger failedOnce = new AtomicInteger();
    AtomicInteger digests = new AtomicInteger();
    ServeMux mux =
        new ServeMux()
            .handle("email:newsletter", ctx -> newsletters.incrementAndGet())
            .handle(
                "email:",
                ctx -> {
                  if (ctx.task().type().equals("email:receipt")
                      && failedOnce.getAndIncrement() == 0) {
                    throw new IllegalStateException("mail server busy (the demo fails this once)");
                  }
                  say(ctx, "sent " + ctx.task().type());
                })
            .handle(
                "report:",
                ctx -> {
                  ctx.writeResult("{\"rows\":1234}".getBytes(StandardCharsets.UTF_8));
                  say(ctx, "built the report; result kept for 24h");
                })
            .handle(
                "notify:digest",
                ctx -> {
                  digests.incrementAndGet();
                  say(
                      ctx,
                      "sent one digest for " + text(Objects.requireNonNull(ctx.task().payload())));
                });
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(10)
            .queue(emails, 2)
            .queue(reports, 1)
            .groupAggregator(
                (group, tasks) -> Task.of("notify:digest", tasks.size() + " events of " + group))
            .groupGracePeriod(Duration.ofSeconds(1))
            .retryDelay(RetryDelay.constant(Duration.ofSeconds(1)))
            .delayedTaskCheckInterval(Duration.ofMillis(200))
            .build();
    out.println(
        "Processing with a jasynq Server (concurrency 10, " + emails + " x2, " + reports + " x1):");
    long begin = System.nanoTime();
    try (Server server = Server.connect(uri, config);
        Inspector inspector = Inspector.connect(uri)) {
      server.start(mux);
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < end
          && (digests.get() == 0 || !drained(inspector, emails, reports))) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.printf(
        "  newsletters sent: %d; the receipt failed once and was retried; %d ms in all%n",
        newsletters.get(), (System.nanoTime() - begin) / 1_000_000);
    out.flush();
  }

  /**
   * Whether nothing is left to do now: no task pending, active, waiting to be retried or waiting in
   * a group (the task scheduled for later does not count).
   */
  private static boolean drained(Inspector inspector, String... queues) {
    for (String q : queues) {
      QueueInfo info = inspector.queueInfo(q);
      if (info.pending() + info.active() + info.retry() + info.aggregating() > 0) {
        return false;
      }
    }
    return true;
  }

  private synchronized void say(TaskContext ctx, String what) {
    out.printf("  %-14s %-38s %s%n", ctx.queue(), ctx.taskId(), what);
    out.flush();
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  private static String[] row(String what, TaskInfo info) {
    return new String[] {
      what,
      info.id(),
      info.state().wireName()
          + " in "
          + info.queue()
          + info.nextProcessAt().map(t -> ", due " + t).orElse("")
          + info.group().map(g -> ", group " + g).orElse("")
    };
  }

  private void printTable(List<String[]> rows) {
    int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
    for (String[] r : rows) {
      out.printf("  %-" + w0 + "s  %-" + w1 + "s  %s%n", r[0], r[1], r[2]);
    }
  }

  private void printRedis(String uri, String... queues) {
    out.println("What Redis holds now (the demo queues, as jasynq's Inspector reads them):");
    try (Inspector inspector = Inspector.connect(uri)) {
      out.printf(
          "  %-14s %5s %8s %7s %10s %6s %9s %10s %12s %10s %7s%n",
          "queue",
          "tasks",
          "pending",
          "active",
          "scheduled",
          "retry",
          "archived",
          "completed",
          "aggregating",
          "processed",
          "failed");
      long tasks = 0;
      for (String queue : queues) {
        QueueInfo q = inspector.queueInfo(queue);
        tasks += q.size();
        out.printf(
            "  %-14s %5d %8d %7d %10d %6d %9d %10d %12d %10d %7d%n",
            queue,
            q.size(),
            q.pending(),
            q.active(),
            q.scheduled(),
            q.retry(),
            q.archived(),
            q.completed(),
            q.aggregating(),
            q.processedTotal(),
            q.failedTotal());
      }
      out.printf(
          "  %d tasks in all, each a hash asynq:{<queue>}:t:<id> beside its state's list or set%n",
          tasks);
      out.printf("  queues registered in asynq:queues: %s%n", inspector.queues());
    }
  }
}

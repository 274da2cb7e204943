package io.jasynq.examples.gointerop;

import static io.jasynq.TaskOption.queue;

import io.jasynq.Client;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares queues with a Go Asynq service (see this module's README.md for the Go side):
 *
 * <ul>
 *   <li>Java to Go: enqueues an {@code order:ship} task in queue {@value #ORDERS}, which a Go
 *       {@code asynq.Server} processes.
 *   <li>Go to Java: serves queue {@value #INVOICES}, where a Go {@code asynq.Client} enqueues
 *       {@code invoice:render} tasks, until Ctrl-C.
 * </ul>
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 ./mvnw -q -pl examples/go-interop -am compile exec:java
 * </pre>
 */
public final class GoInterop {
  private static final Logger log = LoggerFactory.getLogger(GoInterop.class);

  /** The queue Java enqueues into and Go serves. */
  public static final String ORDERS = "orders";

  /** The task type of {@link #ORDERS}; the Go server's {@code mux.HandleFunc} names it. */
  public static final String SHIP_ORDER = "order:ship";

  /** The queue Go enqueues into and Java serves. */
  public static final String INVOICES = "invoices";

  /** The task type of {@link #INVOICES}; the Go client's {@code asynq.NewTask} names it. */
  public static final String RENDER_INVOICE = "invoice:render";

  private GoInterop() {}

  public static void main(String[] args) throws InterruptedException {
    String redisUri = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    TaskInfo info = enqueueForGo(redisUri, 1001);
    log.info("enqueued {} {} in queue {} for the Go server", info.type(), info.id(), info.queue());

    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  try {
                    stopped.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    try {
      serveGoTasks(redisUri, stop, event -> log.info(event));
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Enqueues an {@code order:ship} task for Go. Its payload is the JSON a Go handler unmarshals
   * into {@code struct{ OrderID int64 `json:"order_id"` }}.
   */
  public static TaskInfo enqueueForGo(String redisUri, long orderId) {
    try (Client client = Client.connect(redisUri)) {
      return client.enqueue(Task.of(SHIP_ORDER, "{\"order_id\":" + orderId + "}"), queue(ORDERS));
    }
  }

  /** Processes the {@code invoice:render} tasks Go enqueues until {@code stop} is counted down. */
  public static void serveGoTasks(String redisUri, CountDownLatch stop, Consumer<String> events)
      throws InterruptedException {
    ServeMux mux =
        new ServeMux()
            .handle(
                RENDER_INVOICE,
                ctx ->
                    events.accept(
                        "rendered invoice "
                            + new String(ctx.task().payload(), StandardCharsets.UTF_8)
                            + " (task "
                            + ctx.taskId()
                            + ")"));
    // Serve only the queue Go writes to: the Go server serves ORDERS.
    try (Server server =
        Server.connect(redisUri, ServerConfig.builder().queue(INVOICES, 1).build())) {
      server.start(mux);
      log.info("serving queue {}; Ctrl-C to stop", INVOICES);
      stop.await();
    }
  }
}

package io.jasynq;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs around every enqueue of a {@link Client}, single or batched: the client-side twin of {@link
 * Middleware}. An interceptor may read the task, replace it (typically with headers added: trace
 * context, an audit tag), time the call and observe its outcome, without a wrapper around the
 * client.
 *
 * <pre>{@code
 * EnqueueInterceptor audit = call -> call.proceed(
 *     call.task().withHeaders(Map.of("enqueued-by", user)));
 * Client client = Client.builder().uri(uri).interceptor(audit).build();
 * }</pre>
 *
 * <p><b>Order.</b> Interceptors run in the order they were added to the {@link
 * Client.Builder#interceptor client}, the first added outermost: it sees the task first and the
 * outcome last, as with {@link ServeMux#use} and {@link ServerConfig.Builder#middleware} on the
 * server. So a task enqueued through interceptors {@code a, b} and handled through middleware
 * {@code m, n} passes {@code a → b → Redis → m → n → handler}.
 *
 * <p><b>Contract.</b> {@link #intercept} must call {@link Call#proceed} at most once, before it
 * returns (a batch is sent once every task of it has proceeded), and return a future of the
 * outcome: normally the one {@code proceed} returned, perhaps with stages added. Not proceeding
 * drops the task: its future (or batch result) is the one the interceptor returned. {@code proceed}
 * throws {@link IllegalArgumentException} at once for an invalid task (nothing is written) and
 * fails its future with the exceptions {@link Client#enqueue} documents. Interceptors run on the
 * calling thread; the future completes on a Redis I/O thread, where nothing may block.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EnqueueInterceptor {
  /**
   * Runs around one task's enqueue and returns its outcome.
   *
   * @param call the task, its options, and the rest of the chain
   */
  CompletableFuture<TaskInfo> intercept(Call call);

  /**
   * One task on its way to Redis.
   *
   * @since 0.1
   */
  interface Call {
    /** The task as the previous interceptor passed it on (the caller's, for the first). */
    Task task();

    /** The options given to the enqueue call, applied after the task's own. */
    List<TaskOption> options();

    /**
     * The queue the task goes to: the last {@link TaskOption#queue} among the task's options and
     * then the call's, else {@link TaskOption#DEFAULT_QUEUE}. Not validated yet.
     */
    String queue();

    /**
     * How many tasks the enqueue call carries: 1 for a single enqueue, the list's size for a batch.
     */
    int batchSize();

    /**
     * Passes {@code task} on to the next interceptor, or to Redis after the last.
     *
     * @throws IllegalArgumentException if the task (with its options) is invalid; nothing is
     *     written
     * @throws IllegalStateException if called twice
     */
    CompletableFuture<TaskInfo> proceed(Task task);
  }
}

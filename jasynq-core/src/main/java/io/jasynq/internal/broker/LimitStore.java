package io.jasynq.internal.broker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Queues' fleet-wide limits (jasynq only, {@link Keys#limits}; wire-format §1.4): how many tasks of
 * a queue may be active at once across every jasynq server. The dequeue scripts enforce it against
 * the active list; this store reads and writes it. Thread-safe.
 */
public final class LimitStore {
  /** The field of the concurrency limit. */
  static final String CONCURRENCY = "concurrency";

  private final CommandRunner commands;

  LimitStore(CommandRunner commands) {
    this.commands = commands;
  }

  /**
   * Sets (a positive {@code limit}) or, with null, clears {@code queue}'s concurrency limit; wakes
   * idle servers if the queue has pending tasks. Completes with the value stored before (null if
   * none), as stored (it may be malformed).
   *
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  public CompletableFuture<@Nullable String> setConcurrency(String queue, @Nullable Integer limit) {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException(
          "concurrency limit of queue \"" + queue + "\" must be >= 1, was " + limit);
    }
    List<byte[]> args =
        List.of(
            Keys.bytes(CONCURRENCY),
            Keys.bytes(limit == null ? "" : Integer.toString(limit)),
            Keys.bytes(Keys.pendingChannel()));
    return commands
        .runScript(
            "setConcurrencyLimit",
            Script.SET_LIMIT,
            List.of(Keys.limits(queue), Keys.pending(queue)),
            args,
            Commands::valueReply)
        .thenApply(b -> b == null ? null : new String(b, StandardCharsets.UTF_8));
  }

  /**
   * {@code queue}'s concurrency limit as stored: completes with null when none is set, and fails
   * with {@link WrongKeyTypeException} when the limits key is not a hash.
   */
  public CompletableFuture<@Nullable String> concurrency(String queue) {
    return commands
        .send("concurrencyLimit", Commands.hget(Keys.limits(queue), CONCURRENCY))
        .thenApply(b -> b == null ? null : new String(b, StandardCharsets.UTF_8));
  }

  /**
   * A stored concurrency limit as the dequeue scripts read it: the limit, or null when {@code
   * stored} is null or not a positive integer in decimal digits (then no limit holds); above {@link
   * Integer#MAX_VALUE}, that.
   */
  public static @Nullable Integer parse(@Nullable String stored) {
    if (stored == null) {
      return null;
    }
    if (!stored.matches("[0-9]+")) {
      return null;
    }
    String digits = stored.replaceFirst("^0+", "");
    if (digits.isEmpty()) {
      return null; // zero
    }
    return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
  }
}

package io.jasynq.internal.broker;

import io.jasynq.RateLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Queues' fleet-wide limits (jasynq only, {@link Keys#limits}; wire-format §1.4): how many tasks of
 * a queue may be active at once across every jasynq server, and how many may start per period. The
 * dequeue scripts enforce them; this store reads and writes them. Thread-safe.
 */
public final class LimitStore {
  static final String CONCURRENCY = "concurrency";
  static final String RATE = "rate";
  static final String PER_MS = "per_ms";
  static final String BURST = "burst";

  /** The limits of a queue as stored: each field null when absent (any may be malformed). */
  public record Stored(
      @Nullable String concurrency,
      @Nullable String rate,
      @Nullable String perMillis,
      @Nullable String burst) {}

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
    return set(queue, List.of(CONCURRENCY, limit == null ? "" : Integer.toString(limit)))
        .thenApply(before -> before.get(0));
  }

  /**
   * Sets or, with null, clears {@code queue}'s rate limit; wakes idle servers if the queue has
   * pending tasks. Completes with the limit stored before, as {@link #rate} reads it.
   */
  public CompletableFuture<@Nullable RateLimit> setRate(String queue, @Nullable RateLimit limit) {
    List<String> fields =
        limit == null
            ? List.of(RATE, "", PER_MS, "", BURST, "")
            : List.of(
                RATE,
                Integer.toString(limit.tasks()),
                PER_MS,
                Long.toString(limit.per().toMillis()),
                BURST,
                Integer.toString(limit.burst()));
    return set(queue, fields).thenApply(b -> rate(new Stored(null, b.get(0), b.get(1), b.get(2))));
  }

  /** {@code queue}'s limits as stored; fails with {@link WrongKeyTypeException} if not a hash. */
  public CompletableFuture<Stored> read(String queue) {
    return commands
        .send(
            "limits", Commands.hmget(Keys.limits(queue), List.of(CONCURRENCY, RATE, PER_MS, BURST)))
        .thenApply(
            values ->
                new Stored(
                    text(values.get(0)),
                    text(values.get(1)),
                    text(values.get(2)),
                    text(values.get(3))));
  }

  /**
   * {@code queue}'s concurrency limit as stored: completes with null when none is set, and fails
   * with {@link WrongKeyTypeException} when the limits key is not a hash.
   */
  public CompletableFuture<@Nullable String> concurrency(String queue) {
    return read(queue).thenApply(Stored::concurrency);
  }

  /**
   * A stored limit as the dequeue scripts read it: the number, or null when {@code stored} is null
   * or not a positive integer in decimal digits (then no limit holds); above {@link
   * Integer#MAX_VALUE}, that.
   */
  public static @Nullable Integer parse(@Nullable String stored) {
    if (stored == null || !stored.matches("[0-9]+")) {
      return null;
    }
    String digits = stored.replaceFirst("^0+", "");
    if (digits.isEmpty()) {
      return null; // zero
    }
    return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
  }

  /**
   * The rate limit the dequeue scripts apply for {@code stored}: null unless rate and period are
   * positive integers; the burst defaults to the rate.
   */
  public static @Nullable RateLimit rate(Stored stored) {
    Integer rate = parse(stored.rate());
    Integer per = parse(stored.perMillis());
    if (rate == null || per == null) {
      return null;
    }
    Integer burst = parse(stored.burst());
    return new RateLimit(rate, Duration.ofMillis(per), burst == null ? rate : burst);
  }

  private CompletableFuture<List<@Nullable String>> set(String queue, List<String> fieldValues) {
    List<byte[]> args = new ArrayList<>();
    args.add(Keys.bytes(Keys.pendingChannel()));
    fieldValues.forEach(v -> args.add(Keys.bytes(v)));
    return commands
        .runScript(
            "setLimit",
            Script.SET_LIMIT,
            List.of(Keys.limits(queue), Keys.pending(queue)),
            args,
            Commands::arrayReply)
        .thenApply(
            reply -> {
              List<@Nullable String> before = new ArrayList<>();
              reply.forEach(v -> before.add(text(v)));
              return before;
            });
  }

  private static @Nullable String text(@Nullable Object value) {
    return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
  }
}

package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.ScriptValues.text;

import com.google.protobuf.Timestamp;
import io.jasynq.QueueNotFoundException;
import io.jasynq.TaskState;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Inspector's queries and writes share: the broker's command plumbing, each call awaited
 * (they block until Redis answers or the command timeout passes), the once-per-problem WARN, and
 * how records read from Redis are shown (readable names, scores as times, wrong types named).
 * Thread-safe.
 */
final class Inspection {
  // Under the name the Inspector's problems were always logged with.
  private static final Logger log = LoggerFactory.getLogger(InspectQueries.class);

  /** Go's zero {@code time.Time} as a protobuf Timestamp's seconds (wire-format §2.1): "none". */
  static final long GO_ZERO_TIME_SECONDS = -62135596800L;

  static final Map<TaskState, String> STATE_KEYS =
      Map.of(
          TaskState.PENDING, "pending",
          TaskState.ACTIVE, "active",
          TaskState.SCHEDULED, "scheduled",
          TaskState.RETRY, "retry",
          TaskState.ARCHIVED, "archived",
          TaskState.COMPLETED, "completed");

  private final Broker broker;
  private final CommandRunner commands;
  // Shared: the problems already logged at WARN (dashboards and metrics read every few seconds).
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  Inspection(Broker broker) {
    this.broker = broker;
    this.commands = broker.commands();
  }

  /** The broker the calls go through (the caller keeps owning it). */
  Broker broker() {
    return broker;
  }

  /** The command plumbing the Inspector's calls go through. */
  CommandRunner commands() {
    return commands;
  }

  /** Throws {@link QueueNotFoundException} unless {@code queue} is in {@code asynq:queues}. */
  void requireQueue(String queue) {
    Long member =
        commands.await(commands.send("queueExists", Commands.sismember(Keys.queues(), queue)));
    if (member == 0L) {
      throw new QueueNotFoundException(queue);
    }
  }

  /**
   * Logs a problem a reader met: at WARN the first time this Inspector sees it, at DEBUG after (it
   * stays in the returned {@code problems()}), so a periodic reader does not repeat it.
   */
  void warnOnce(String format, Object... args) {
    String message = org.slf4j.helpers.MessageFormatter.arrayFormat(format, args).getMessage();
    if (warned.size() > 10_000) {
      warned.clear(); // bounded: a flood of distinct problems is logged again, never leaked
    }
    if (warned.add(message)) {
      log.warn("{} (logged once; later reads log it at DEBUG)", message);
    } else {
      log.debug("{}", message);
    }
  }

  /** The Redis type of {@code key} ("none" when it does not exist). */
  String type(String operation, String key) {
    return commands.await(commands.send(operation, Commands.type(key)));
  }

  /** Runs a script that replies with an array, and waits for it. */
  List<Object> run(String operation, Script script, List<String> keys, List<byte[]> args) {
    return commands.await(commands.runScript(operation, script, keys, args, Commands::arrayReply));
  }

  static String wrongType(String key, String type, String expected) {
    return key + " is a " + type + ", not a " + expected;
  }

  static TaskState stateOrNull(Object wireName) {
    if (wireName == null) {
      return null;
    }
    String name = wireName instanceof byte[] b ? text(b) : wireName.toString();
    for (TaskState s : TaskState.values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** The containers of a queue's states: pending, active, scheduled, retry, archived, completed. */
  static List<String> stateKeys(String queue) {
    return List.of(
        Keys.pending(queue),
        Keys.active(queue),
        Keys.scheduled(queue),
        Keys.retry(queue),
        Keys.archived(queue),
        Keys.completed(queue));
  }

  /** UTF-8 text, with each byte that is not part of valid UTF-8 shown as {@code \xNN}. */
  static String readable(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    StringBuilder s = new StringBuilder(bytes.length);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      out.flip();
      s.append(out);
      out.clear();
      if (!result.isError()) {
        break;
      }
      for (int i = 0; i < result.length(); i++) {
        s.append(String.format(Locale.ROOT, "\\x%02x", in.get() & 0xff));
      }
    }
    return s.toString();
  }

  static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** A zset score as an instant, or null when it is not a time (inf, nan, out of range). */
  static Instant score(Object score) {
    double seconds = seconds(score);
    if (Double.isNaN(seconds) || Math.abs(seconds) > Instant.MAX.getEpochSecond()) {
      return null;
    }
    return Instant.ofEpochSecond((long) seconds);
  }

  /** A zset score (a bulk string; Asynq writes integers, a reader accepts floats), truncated. */
  static long wholeSeconds(Object score) {
    return (long) seconds(score);
  }

  /** A score as RESP2 (text) or RESP3 (a double) gives it; NaN when it is not a number. */
  static double seconds(Object score) {
    if (score instanceof Number n) {
      return n.doubleValue();
    }
    String text = text(score);
    return switch (text) {
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          yield Double.NaN;
        }
      }
    };
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static Optional<Instant> optionalInstant(Timestamp t) {
    return t.getSeconds() == GO_ZERO_TIME_SECONDS && t.getNanos() == 0
        ? Optional.empty()
        : Optional.of(instant(t));
  }
}

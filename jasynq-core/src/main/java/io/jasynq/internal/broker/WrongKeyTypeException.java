package io.jasynq.internal.broker;

import io.jasynq.JasynqException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A write was refused because a key it must read or move a task through holds another Redis type
 * (or a value it cannot use) than the key schema gives it: a pending list that is a string, a task
 * key that is a set, a retry zset that is a hash. Nothing was written. Such a key is not ours to
 * repair: jasynq neither deletes nor overwrites it, so the write fails the same way until someone
 * looks at the key.
 */
public final class WrongKeyTypeException extends JasynqException {
  private static final long serialVersionUID = 1L;

  /** The reply of a script (lib_keys.lua): "BADKEY <key> is a <type>, expected a <what>". */
  private static final Pattern REPLY =
      Pattern.compile("^BADKEY (.*) is a (\\S+), expected a (.+)$", Pattern.DOTALL);

  private final String key;
  private final String actualType;
  private final String expected;

  private WrongKeyTypeException(
      String operation, String key, String actualType, String expected, Throwable cause) {
    super(
        operation
            + " failed: key \""
            + key
            + "\" holds a "
            + (actualType == null ? "value of another type" : actualType)
            + " where a "
            + expected
            + " is expected; nothing was written",
        cause);
    this.key = key;
    this.actualType = actualType;
    this.expected = expected;
  }

  /** The exception for a script's BADKEY error reply {@code message}, or null if it is not one. */
  static WrongKeyTypeException ofReply(String operation, String message, Throwable cause) {
    if (message == null) {
      return null;
    }
    int script = message.indexOf(" script: "); // Redis may append where in the script it failed
    Matcher m = REPLY.matcher(script < 0 ? message : message.substring(0, script));
    if (!m.matches()) {
      return null;
    }
    return new WrongKeyTypeException(operation, m.group(1), m.group(2), m.group(3), cause);
  }

  /** For {@code key}, found to hold {@code actualType} where {@code expected} belongs. */
  static WrongKeyTypeException of(
      String operation, String key, String actualType, String expected) {
    return new WrongKeyTypeException(operation, key, actualType, expected, null);
  }

  /** For a command that failed with Redis' own WRONGTYPE on {@code key} (type not known). */
  static WrongKeyTypeException ofWrongType(
      String operation, String key, String expected, Throwable cause) {
    return new WrongKeyTypeException(operation, key, null, expected, cause);
  }

  /**
   * The key, its type and what belongs there, e.g. {@code asynq:{q}:pending is a string, not a
   * list}.
   */
  public String reason() {
    return key
        + " is a "
        + (actualType == null ? "value of another type" : actualType)
        + ", not a "
        + expected;
  }

  /** The key. */
  public String key() {
    return key;
  }

  /** The Redis type the key holds ("string", "list", ...), or null when not known. */
  public String actualType() {
    return actualType;
  }

  /** What the key schema expects there: a Redis type, or a description of the value. */
  public String expected() {
    return expected;
  }
}

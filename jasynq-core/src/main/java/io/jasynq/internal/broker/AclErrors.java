package io.jasynq.internal.broker;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a Redis ACL refusal say what is missing. A refused top-level command already names the
 * command ({@code NOPERM this user has no permissions to run the 'sadd' command}), but a refusal
 * inside a script names neither command nor key on Redis 6.2 and 7.0 ({@code The user executing the
 * script can't run this command or subcommand ... @user_script:12}): the line number is all it
 * gives, so the command is read from that line of our script.
 */
final class AclErrors {
  private static final Pattern LINE = Pattern.compile("@user_script:\\s*(\\d+)");

  private AclErrors() {}

  /** Whether {@code message} (a Redis error reply) is an ACL refusal. */
  static boolean isRefusal(String message) {
    return message != null
        && (message.startsWith("NOPERM")
            || message.contains("The user executing the script can't")
            || message.contains("no permissions to"));
  }

  /**
   * What {@code operation} needs and lacks, followed by Redis's own text; {@code script} and {@code
   * keys} (may be null) are what the operation ran.
   */
  static String describe(String operation, Script script, List<String> keys, String message) {
    String what = refused(message);
    String command = null;
    String where = "";
    Matcher m = LINE.matcher(message);
    if (script != null && m.find()) {
      int line = Integer.parseInt(m.group(1));
      command = script.commandAt(line);
      where = " (called by script " + script + ", at " + script.locate(line) + ")";
    } else {
      Matcher top = Pattern.compile("run the '([^']+)' command").matcher(message);
      if (top.find()) {
        command = top.group(1).toUpperCase(java.util.Locale.ROOT);
      }
    }
    String name = command == null ? "a command" : command;
    String need =
        switch (what) {
          case "key" ->
              "may not access a key used by "
                  + name
                  + where
                  + (keys == null || keys.isEmpty() ? "" : "; the keys given: " + keys)
                  + "; grant a key pattern (~...) that matches it";
          case "channel" ->
              "may not use the channel of " + name + where + "; grant a channel pattern (&...)";
          default ->
              "may not run "
                  + name
                  + where
                  + (command == null
                      ? ""
                      : "; grant +" + command.toLowerCase(java.util.Locale.ROOT));
        };
    return operation + " failed: NOPERM the Redis user " + need + ". Redis said: " + message;
  }

  private static String refused(String message) {
    if (message.contains("keys") || message.contains("one of the keys")) {
      return "key";
    }
    if (message.contains("channel")) {
      return "channel";
    }
    return "command";
  }
}

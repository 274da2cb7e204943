package io.jasynq.internal.connection;

import java.util.Locale;

/**
 * Makes a Redis error reply about authentication ({@code WRONGPASS}, {@code NOAUTH}, a password
 * given to a server that has none) say so in words; used when connecting and when a command is
 * refused. Stateless.
 */
public final class AuthErrors {
  private AuthErrors() {}

  /**
   * What a Redis error reply about authentication means, naming the reply's code; null when {@code
   * reply} is not about authentication.
   */
  public static String describe(String reply) {
    if (reply == null) {
      return null;
    }
    String r = reply.strip();
    String lower = r.toLowerCase(Locale.ROOT);
    if (r.startsWith("WRONGPASS") || lower.startsWith("err invalid password")) {
      return "authentication failed: wrong password or user name, or the user is disabled ("
          + (r.startsWith("WRONGPASS") ? "WRONGPASS" : r)
          + ")";
    }
    if (r.startsWith("NOAUTH")) {
      return "authentication failed: the server requires a password and none was given"
          + " (NOAUTH); give it in the URI (redis://:PASSWORD@host) or, in the CLI, with --password";
    }
    if (lower.contains("called without any password configured")
        || lower.contains("client sent auth, but no password is set")) {
      return "authentication failed: a password was given but the server has none set (" + r + ")";
    }
    return null;
  }
}

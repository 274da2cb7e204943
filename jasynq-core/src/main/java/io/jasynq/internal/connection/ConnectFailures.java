package io.jasynq.internal.connection;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in one phrase why a connect that did not involve a TLS failure went wrong: the real cause
 * Lettuce buried in the cause chain (a refused password, a server that is not a sentinel, a master
 * name the sentinels do not know), else Lettuce's own message without Netty's {@code /<unresolved>}
 * noise, followed by the root cause. Stateless.
 */
final class ConnectFailures {
  private static final Pattern UNKNOWN_MASTER =
      Pattern.compile("using sentinel for masterId (\\S+)");

  private ConnectFailures() {}

  /** The cause, for {@code "cannot connect to <description>: " + cause}. */
  static String cause(RuntimeException e, List<Throwable> all) {
    for (Throwable t : all) {
      String auth = AuthErrors.describe(t.getMessage());
      if (auth != null) {
        return auth;
      }
    }
    for (Throwable t : all) {
      String m = t.getMessage();
      if (m != null && m.contains("unknown command 'SENTINEL'")) {
        return "not a sentinel: a server given as a sentinel answered \""
            + m.strip()
            + "\" (a plain Redis? give the sentinels' addresses, port 26379 by default)";
      }
    }
    for (Throwable t : all) {
      Matcher m = UNKNOWN_MASTER.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return "no master named \""
            + m.group(1)
            + "\": the sentinels know no master by that name (see SENTINEL MASTERS)";
      }
    }
    String outer = null;
    for (Throwable t : all) {
      if (t.getMessage() != null) {
        outer = clean(t.getMessage());
        break;
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootMessage = root.getMessage() == null ? null : clean(root.getMessage());
    if (outer == null) {
      return rootMessage == null ? root.getClass().getSimpleName() : rootMessage;
    }
    if (rootMessage != null && !outer.contains(rootMessage)) {
      return outer + ": " + rootMessage;
    }
    return outer;
  }

  /**
   * Runs {@code connect}, once more if Lettuce lost the handshake's own error in a race: when the
   * server refuses the handshake (a wrong password, say) and the channel closes at the same moment,
   * Lettuce may report "RedisHandshakeHandler not registered" instead of the refusal (seen in CI).
   * The second attempt reports the refusal itself.
   */
  static <T> T retryingLostHandshake(java.util.function.Supplier<T> connect) {
    try {
      return connect.get();
    } catch (RuntimeException e) {
      if (!lostHandshake(e)) {
        throw e;
      }
      return connect.get();
    }
  }

  /** Whether {@code e} is Lettuce's "handshake handler not registered" race, not a real cause. */
  static boolean lostHandshake(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("HandshakeHandler not registered")) {
        return true;
      }
    }
    return false;
  }

  /** Netty's {@code host/<unresolved>:port} as {@code host:port}; one line. */
  static String clean(String message) {
    return message.replace("/<unresolved>", "").strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}

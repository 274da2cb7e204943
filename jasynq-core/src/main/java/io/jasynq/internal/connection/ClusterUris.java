package io.jasynq.internal.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses Redis Cluster URIs: {@code redis-cluster://[[user]:password@]h1[:p1][,h2[:p2]...]}, or
 * {@code rediss-cluster://…} for TLS. Asynq has no URI form for a cluster, so this one follows the
 * Sentinel form: a comma-separated list of seed nodes, the port defaulting to 6379. A cluster has
 * only database 0, so a path other than empty, {@code /} or {@code /0} is rejected. Stateless.
 */
public final class ClusterUris {
  private ClusterUris() {}

  /** One seed node's address. */
  public record Node(String host, int port) {
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** The seed nodes, credentials and TLS a cluster URI names. */
  public record Parsed(List<Node> nodes, String username, char[] password, boolean tls) {}

  /** Whether {@code text} uses a cluster scheme. */
  public static boolean isCluster(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://");
  }

  /**
   * Parses {@code text}, a cluster URI.
   *
   * @throws IllegalArgumentException naming the masked URI and what is wrong with it
   */
  public static Parsed parse(String text) {
    String input = text.strip();
    boolean tls = input.toLowerCase(Locale.ROOT).startsWith("rediss-cluster://");
    String rest = input.substring(input.indexOf("://") + 3);
    if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
      throw invalid(text, "query parameters and fragments are not supported");
    }
    RedisUris.Credentials credentials = RedisUris.Credentials.NONE;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      credentials =
          RedisUris.credentials(
              text,
              rest.substring(0, at),
              "user info has no ':' — write redis-cluster://:password@hosts,"
                  + " or redis-cluster://user:password@hosts for an ACL user");
      rest = rest.substring(at + 1);
    }
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String db = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
      if (!db.isEmpty() && !db.equals("0")) {
        throw invalid(text, "Redis Cluster has only database 0, was \"" + db + "\"");
      }
    }
    if (rest.isBlank()) {
      throw invalid(text, "no seed node");
    }
    List<Node> nodes = new ArrayList<>();
    for (String address : rest.split(",", -1)) {
      nodes.add(node(text, address.strip()));
    }
    return new Parsed(List.copyOf(nodes), credentials.username(), credentials.password(), tls);
  }

  private static Node node(String text, String address) {
    if (address.isEmpty()) {
      throw invalid(text, "empty seed node address");
    }
    String host;
    String port = null;
    if (address.startsWith("[")) { // [IPv6]:port
      int close = address.indexOf(']');
      if (close < 0) {
        throw invalid(text, "unclosed '[' in \"" + address + "\"");
      }
      host = address.substring(1, close);
      String after = address.substring(close + 1);
      if (after.startsWith(":")) {
        port = after.substring(1);
      } else if (!after.isEmpty()) {
        throw invalid(text, "unexpected \"" + after + "\" after \"" + address + "\"");
      }
    } else {
      int colon = address.lastIndexOf(':');
      host = colon < 0 ? address : address.substring(0, colon);
      port = colon < 0 ? null : address.substring(colon + 1);
    }
    if (host.isBlank()) {
      throw invalid(text, "no host in \"" + address + "\"");
    }
    int p = 6379;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw invalid(text, "port must be a number in \"" + address + "\"");
      }
    }
    if (p < 1 || p > 65535) {
      throw invalid(text, "port must be in 1..65535, was " + p);
    }
    return new Node(host, p);
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return RedisUris.invalid(text, why);
  }
}

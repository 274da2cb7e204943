package io.jasynq.internal.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Parses standalone Redis URIs, rejecting what it cannot honour with a message that says why. */
public final class RedisUris {
  private RedisUris() {}

  /** What a URI says; the sentinel fields are empty and null unless it is a Sentinel URI. */
  public record Parsed(
      String host,
      int port,
      String username,
      char[] password,
      int database,
      boolean tls,
      List<Sentinel> sentinels,
      String masterName,
      String sentinelUsername,
      char[] sentinelPassword) {}

  /** One sentinel's address. */
  public record Sentinel(String host, int port) {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the masked URI and what is wrong with it
   */
  public static Parsed parse(String text) {
    String input = text.strip();
    if (input.isEmpty()) {
      throw new IllegalArgumentException("Redis URI must not be blank");
    }
    if (!input.contains("://")) {
      input = "redis://" + input; // a bare host[:port], as the asynq CLI takes
    }
    String lower = input.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("redis-sentinel://") || lower.startsWith("rediss-sentinel://")) {
      return parseSentinel(text, input, lower.startsWith("rediss"));
    }
    URI uri;
    try {
      uri = new URI(input);
    } catch (URISyntaxException e) {
      throw invalid(text, e.getReason());
    }
    String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    boolean tls;
    if (scheme.equals("redis")) {
      tls = false;
    } else if (scheme.equals("rediss")) {
      tls = true;
    } else {
      throw invalid(
          text,
          "unsupported scheme \""
              + scheme
              + "\"; use redis://, rediss://, redis-sentinel:// or redis-cluster://");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      throw invalid(text, "no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    if (port < 1 || port > 65535) {
      throw invalid(text, "port must be in 1..65535, was " + port);
    }

    Credentials credentials = Credentials.NONE;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      credentials =
          credentials(
              text,
              userInfo,
              "user info has no ':' — write redis://:password@host for a password,"
                  + " or redis://user:password@host for an ACL user");
    }

    int database = 0;
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      String db = path.substring(1);
      try {
        database = Integer.parseInt(db);
      } catch (NumberFormatException e) {
        throw invalid(text, "database must be a number, was \"" + db + "\"");
      }
      if (database < 0) {
        throw invalid(text, "database must be >= 0, was " + database);
      }
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(text, "query parameters and fragments are not supported");
    }
    return new Parsed(
        host,
        port,
        credentials.username(),
        credentials.password(),
        database,
        tls,
        List.of(),
        null,
        null,
        null);
  }

  /**
   * {@code
   * redis-sentinel://[[user]:password@]h1[:p1],h2[:p2][/db]?master=NAME[&sentinelPassword=PW]}
   * (Asynq's form; Lettuce's {@code sentinelMasterId=} and {@code #NAME} are accepted too). The
   * user-info password is the data nodes'; sentinels use {@code sentinelPassword} if given. The
   * sentinel port defaults to 26379.
   */
  private static Parsed parseSentinel(String text, String input, boolean tls) {
    String rest = input.substring(input.indexOf("://") + 3);
    String fragment = null;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      fragment = decode(rest.substring(hash + 1));
      rest = rest.substring(0, hash);
    }
    java.util.Map<String, String> query = new java.util.HashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      for (String pair : rest.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw invalid(text, "malformed query parameter \"" + pair + "\"");
        }
        query.put(pair.substring(0, eq), decode(pair.substring(eq + 1)));
      }
      rest = rest.substring(0, q);
    }
    int database = 0;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String db = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
      if (!db.isEmpty()) {
        try {
          database = Integer.parseInt(db);
        } catch (NumberFormatException e) {
          throw invalid(text, "database must be a number, was \"" + db + "\"");
        }
      }
    }
    Credentials credentials = Credentials.NONE;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      credentials =
          credentials(
              text,
              rest.substring(0, at),
              "user info has no ':' — write redis-sentinel://:password@hosts");
      rest = rest.substring(at + 1);
    }
    List<Sentinel> sentinels = new java.util.ArrayList<>();
    for (String address : rest.split(",")) {
      if (address.isBlank()) {
        throw invalid(text, "empty sentinel address");
      }
      int colon = address.lastIndexOf(':');
      String host = colon < 0 ? address : address.substring(0, colon);
      int port = 26379;
      if (colon >= 0) {
        try {
          port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw invalid(text, "sentinel port must be a number in \"" + address + "\"");
        }
      }
      if (port < 1 || port > 65535) {
        throw invalid(text, "port must be in 1..65535, was " + port);
      }
      sentinels.add(new Sentinel(host, port));
    }
    String master = query.remove("master");
    String lettuceMaster = query.remove("sentinelMasterId");
    master = master != null ? master : lettuceMaster != null ? lettuceMaster : fragment;
    if (master == null || master.isBlank()) {
      throw invalid(text, "the master name is missing: add ?master=<name>");
    }
    String sentinelPassword = query.remove("sentinelPassword");
    String sentinelUsername = query.remove("sentinelUsername");
    if (sentinelUsername != null && sentinelPassword == null) {
      throw invalid(text, "sentinelUsername needs sentinelPassword");
    }
    if (!query.isEmpty()) {
      throw invalid(text, "unsupported parameters " + query.keySet());
    }
    return new Parsed(
        null,
        0,
        credentials.username(),
        credentials.password(),
        database,
        tls,
        List.copyOf(sentinels),
        master,
        sentinelUsername == null || sentinelUsername.isEmpty() ? null : sentinelUsername,
        sentinelPassword == null ? null : sentinelPassword.toCharArray());
  }

  /** The user and password of a URI's user info; both null when it has none. */
  record Credentials(String username, char[] password) {
    static final Credentials NONE = new Credentials(null, null);
  }

  /**
   * Parses the raw user info {@code user:password} (an empty user means none) of the URI {@code
   * text}; {@code noColon} says how to write it when the ':' is missing.
   */
  static Credentials credentials(String text, String userInfo, String noColon) {
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      throw invalid(text, noColon);
    }
    String user = decode(userInfo.substring(0, colon));
    return new Credentials(
        user.isEmpty() ? null : user, decode(userInfo.substring(colon + 1)).toCharArray());
  }

  /** Percent-decodes {@code s}, keeping a '+' as it is. */
  static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The error for a bad URI: the masked {@code text} and {@code why}. */
  static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid Redis URI \"" + mask(text) + "\": " + why);
  }

  /**
   * The text with whatever stands between "://" and the last '@' before the host replaced, and the
   * value of a {@code sentinelPassword} parameter.
   */
  static String mask(String text) {
    return maskUserInfo(text).replaceAll("(?i)(sentinelPassword=)[^&#]*", "$1***");
  }

  private static String maskUserInfo(String text) {
    int start = text.indexOf("://");
    int from = start < 0 ? 0 : start + 3;
    int at = text.lastIndexOf('@');
    if (at < from) {
      return text;
    }
    String info = text.substring(from, at);
    int colon = info.indexOf(':');
    String shown = colon < 0 ? "***" : info.substring(0, colon) + ":***";
    return text.substring(0, from) + shown + text.substring(at);
  }
}

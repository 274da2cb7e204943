package io.jasynq.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Parses standalone Redis URIs, rejecting what it cannot honour with a message that says why. */
final class RedisUris {
  private RedisUris() {}

  record Parsed(
      String host, int port, String username, char[] password, int database, boolean tls) {}

  static Parsed parse(String text) {
    String input = text.strip();
    if (input.isEmpty()) {
      throw new IllegalArgumentException("Redis URI must not be blank");
    }
    if (!input.contains("://")) {
      input = "redis://" + input; // a bare host[:port], as the asynq CLI takes
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
      throw invalid(text, "unsupported scheme \"" + scheme + "\"; use redis:// or rediss://");
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

    String username = null;
    char[] password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        throw invalid(
            text,
            "user info has no ':' — write redis://:password@host for a password,"
                + " or redis://user:password@host for an ACL user");
      }
      String user = decode(userInfo.substring(0, colon));
      username = user.isEmpty() ? null : user;
      password = decode(userInfo.substring(colon + 1)).toCharArray();
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
    return new Parsed(host, port, username, password, database, tls);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid Redis URI \"" + mask(text) + "\": " + why);
  }

  /** The text with whatever stands between "://" and the last '@' before the host replaced. */
  static String mask(String text) {
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

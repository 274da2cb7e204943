package io.jasynq.spring.boot;

import io.jasynq.redis.RedisConnector;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The application's Redis as Spring Boot describes it, in the terms of {@link
 * RedisConnector.Builder}: from Boot's connection-details bean when spring-boot-data-redis is
 * present (see {@link DataRedisDetails}), else bound from {@code spring.data.redis.*}. Immutable.
 */
record BootRedisSettings(
    String url,
    String host,
    int port,
    int database,
    String username,
    String password,
    boolean ssl,
    String sentinelMaster,
    List<String> sentinelNodes,
    String sentinelUsername,
    String sentinelPassword,
    List<String> clusterNodes) {

  /** The subset of {@code spring.data.redis.*} jasynq reads without spring-boot-data-redis. */
  record Properties(
      String url,
      @DefaultValue("localhost") String host,
      @DefaultValue("6379") int port,
      int database,
      String username,
      String password,
      Ssl ssl,
      Sentinel sentinel,
      Cluster cluster) {}

  record Ssl(boolean enabled, String bundle) {}

  record Sentinel(String master, List<String> nodes, String username, String password) {}

  record Cluster(List<String> nodes) {}

  /** Binds {@code spring.data.redis.*}; unset values are Boot's defaults (localhost:6379/0). */
  static BootRedisSettings bind(Binder binder) {
    Properties p =
        binder
            .bind("spring.data.redis", Bindable.of(Properties.class))
            .orElseGet(
                () -> new Properties(null, "localhost", 6379, 0, null, null, null, null, null));
    Sentinel s = p.sentinel();
    return new BootRedisSettings(
        p.url(),
        p.host(),
        p.port(),
        p.database(),
        p.username(),
        p.password(),
        p.ssl() != null && (p.ssl().enabled() || p.ssl().bundle() != null),
        s == null ? null : s.master(),
        s == null || s.nodes() == null ? List.of() : s.nodes(),
        s == null ? null : s.username(),
        s == null ? null : s.password(),
        p.cluster() == null || p.cluster().nodes() == null ? List.of() : p.cluster().nodes());
  }

  /**
   * A builder for an owned connector on these settings. An SSL bundle's trust and key material is
   * not carried over (the connector verifies against the JVM's trust store): see the README.
   */
  RedisConnector.Builder toBuilder() {
    RedisConnector.Builder b = RedisConnector.builder();
    if (url != null && !url.isBlank() && clusterNodes.isEmpty() && sentinelMaster == null) {
      return b.uri(url);
    }
    if (!clusterNodes.isEmpty()) {
      clusterNodes.forEach(node -> b.clusterNode(hostOf(node), portOf(node, 6379)));
    } else if (sentinelMaster != null) {
      b.masterName(sentinelMaster);
      sentinelNodes.forEach(node -> b.sentinel(hostOf(node), portOf(node, 26379)));
      b.sentinelUsername(sentinelUsername);
      if (sentinelPassword != null) {
        b.sentinelPassword(sentinelPassword);
      }
      b.database(database);
    } else {
      b.host(host).port(port).database(database);
    }
    b.username(username);
    if (password != null) {
      b.password(password);
    }
    return b.tls(ssl);
  }

  private static String hostOf(String node) {
    int colon = node.lastIndexOf(':');
    String host = colon < 0 ? node : node.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static int portOf(String node, int defaultPort) {
    int colon = node.lastIndexOf(':');
    if (colon < 0 || node.endsWith("]")) {
      return defaultPort;
    }
    try {
      return Integer.parseInt(node.substring(colon + 1).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "spring.data.redis node \"" + node + "\" must be host:port, port not a number", e);
    }
  }
}

package io.jasynq.spring.boot;

import io.jasynq.redis.RedisConnector;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;

/**
 * The application's Redis as Spring Boot describes it, in the terms of {@link
 * RedisConnector.Builder}: from Boot's connection-details bean when spring-boot-data-redis is
 * present (see {@link DataRedisDetails}), else bound from {@code spring.data.redis.*}. Immutable.
 *
 * @param sslManagers the trust and key managers of the SSL bundle ({@code
 *     spring.data.redis.ssl.bundle}), or null for TLS on the JVM's trust store (or no TLS)
 */
record BootRedisSettings(
    @Nullable String url,
    @Nullable String host,
    int port,
    int database,
    @Nullable String username,
    @Nullable String password,
    boolean ssl,
    @Nullable SslManagerBundle sslManagers,
    @Nullable String sentinelMaster,
    List<String> sentinelNodes,
    @Nullable String sentinelUsername,
    @Nullable String sentinelPassword,
    List<String> clusterNodes) {

  /** The property that names the SSL bundle. */
  static final String SSL_BUNDLE_PROPERTY = "spring.data.redis.ssl.bundle";

  /** The subset of {@code spring.data.redis.*} jasynq reads without spring-boot-data-redis. */
  record Properties(
      @Nullable String url,
      @DefaultValue("localhost") String host,
      @DefaultValue("6379") int port,
      int database,
      @Nullable String username,
      @Nullable String password,
      @Nullable Ssl ssl,
      @Nullable Sentinel sentinel,
      @Nullable Cluster cluster,
      @Nullable Masterreplica masterreplica) {}

  record Ssl(boolean enabled, @Nullable String bundle) {}

  record Sentinel(
      @Nullable String master,
      @Nullable List<String> nodes,
      @Nullable String username,
      @Nullable String password) {}

  record Cluster(List<String> nodes) {}

  record Masterreplica(List<String> nodes) {}

  /**
   * Binds {@code spring.data.redis.*}; unset values are Boot's defaults (localhost:6379/0). Like
   * Boot, Sentinel wins over Cluster, and Cluster over static master/replica, which is refused.
   *
   * @param bundles looks up an SSL bundle by name, throwing {@link NoSuchSslBundleException}
   */
  static BootRedisSettings bind(Binder binder, Function<String, SslBundle> bundles) {
    Properties p =
        binder
            .bind("spring.data.redis", Bindable.of(Properties.class))
            .orElseGet(
                () ->
                    new Properties(null, "localhost", 6379, 0, null, null, null, null, null, null));
    Sentinel s = p.sentinel();
    boolean sentinel = s != null && s.master() != null;
    boolean cluster = p.cluster() != null && p.cluster().nodes() != null;
    if (!sentinel
        && !cluster
        && p.masterreplica() != null
        && p.masterreplica().nodes() != null
        && !p.masterreplica().nodes().isEmpty()) {
      throw masterReplicaRefused();
    }
    String bundle = p.ssl() == null ? null : p.ssl().bundle();
    SslManagerBundle managers =
        bundle == null || bundle.isBlank() ? null : bundle(bundles, bundle).getManagers();
    return new BootRedisSettings(
        p.url(),
        p.host(),
        p.port(),
        p.database(),
        p.username(),
        p.password(),
        p.ssl() != null && (p.ssl().enabled() || managers != null),
        managers,
        s == null ? null : s.master(),
        s == null || s.nodes() == null ? List.of() : s.nodes(),
        s == null ? null : s.username(),
        s == null ? null : s.password(),
        cluster && !sentinel ? Objects.requireNonNull(p.cluster()).nodes() : List.of());
  }

  /** The bundle named {@code name}, or an error naming the property and the bundle. */
  static SslBundle bundle(Function<String, SslBundle> bundles, String name) {
    try {
      return bundles.apply(name);
    } catch (NoSuchSslBundleException e) {
      throw missingBundle(name, e);
    }
  }

  /** The error for a bundle name that no {@code spring.ssl.bundle.*} defines. */
  static IllegalStateException missingBundle(String name, RuntimeException cause) {
    return new IllegalStateException(
        SSL_BUNDLE_PROPERTY
            + "="
            + name
            + " names no SSL bundle: define it under spring.ssl.bundle.pem."
            + name
            + ".* or spring.ssl.bundle.jks."
            + name
            + ".*",
        cause);
  }

  /** The error for Boot's static master/replica mode, which jasynq cannot run on. */
  static IllegalStateException masterReplicaRefused() {
    return new IllegalStateException(
        "spring.data.redis.masterreplica.nodes (static master/replica) is not supported by"
            + " jasynq, which must send every command to the master: set jasynq.redis.uri to the"
            + " master (redis://host:port), or use Sentinel (spring.data.redis.sentinel.master"
            + " and spring.data.redis.sentinel.nodes) to follow the master across failovers");
  }

  /**
   * A builder for an owned connector on these settings. An SSL bundle's trust managers verify the
   * server and its key managers hold the client certificate for mutual TLS; without a bundle, TLS
   * verifies against the JVM's trust store. The bundle's protocol and cipher options are not
   * carried over.
   */
  RedisConnector.Builder toBuilder() {
    RedisConnector.Builder b = RedisConnector.builder();
    if (url != null && !url.isBlank() && clusterNodes.isEmpty() && sentinelMaster == null) {
      b.uri(url);
      return tlsManagers(ssl ? b.tls(true) : b);
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
    return tlsManagers(b.tls(ssl));
  }

  private RedisConnector.Builder tlsManagers(RedisConnector.Builder b) {
    if (sslManagers != null) {
      b.tlsTrustManagerFactory(sslManagers.getTrustManagerFactory());
      b.tlsKeyManagerFactory(sslManagers.getKeyManagerFactory());
    }
    return b;
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

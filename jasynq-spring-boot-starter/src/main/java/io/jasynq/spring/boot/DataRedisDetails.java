package io.jasynq.spring.boot;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;

/**
 * Reads Boot's {@link DataRedisConnectionDetails} (which covers {@code spring.data.redis.url},
 * host, Sentinel, Cluster, SSL bundles and service connections), in Boot's order: Sentinel, then
 * Cluster, then static master/replica (refused), then standalone. Loaded only when
 * spring-boot-data-redis is on the class path. Stateless.
 */
final class DataRedisDetails {
  private DataRedisDetails() {}

  /**
   * The settings {@code d} describes.
   *
   * @param url {@code spring.data.redis.url}, or null: as in Boot, a {@code rediss://} URL turns
   *     TLS on whatever the details say (their SSL bundle is null without {@code ssl.enabled})
   */
  static BootRedisSettings settings(DataRedisConnectionDetails d, @Nullable String url) {
    SslBundle bundle = sslBundle(d);
    boolean ssl =
        bundle != null || (url != null && url.strip().regionMatches(true, 0, "rediss://", 0, 9));
    SslManagerBundle managers = bundle == null ? null : bundle.getManagers();
    Topology t = topology(d);
    return new BootRedisSettings(
        null,
        t.host(),
        t.port(),
        t.database(),
        d.getUsername(),
        d.getPassword(),
        ssl,
        managers,
        t.sentinelMaster(),
        t.sentinelNodes(),
        t.sentinelUsername(),
        t.sentinelPassword(),
        t.clusterNodes());
  }

  /** Where the details point: a Sentinel set, a Cluster or one server (the others unset). */
  private record Topology(
      @Nullable String host,
      int port,
      int database,
      @Nullable String sentinelMaster,
      List<String> sentinelNodes,
      @Nullable String sentinelUsername,
      @Nullable String sentinelPassword,
      List<String> clusterNodes) {}

  private static Topology topology(DataRedisConnectionDetails d) {
    DataRedisConnectionDetails.Sentinel sentinel = d.getSentinel();
    if (sentinel != null) {
      return new Topology(
          null,
          0,
          sentinel.getDatabase(),
          sentinel.getMaster(),
          nodes(sentinel.getNodes()),
          sentinel.getUsername(),
          sentinel.getPassword(),
          List.of());
    }
    DataRedisConnectionDetails.Cluster cluster = d.getCluster();
    if (cluster != null) {
      return new Topology(null, 0, 0, null, List.of(), null, null, nodes(cluster.getNodes()));
    }
    if (d.getMasterReplica() != null) {
      throw BootRedisSettings.masterReplicaRefused();
    }
    DataRedisConnectionDetails.Standalone s = d.getStandalone();
    if (s == null) {
      throw new IllegalStateException(
          "spring.data.redis names no standalone, Sentinel or Cluster Redis jasynq can use;"
              + " set jasynq.redis.uri");
    }
    return new Topology(
        s.getHost(), s.getPort(), s.getDatabase(), null, List.of(), null, null, List.of());
  }

  /** Boot's bundle; a name that no bundle has fails naming {@code spring.data.redis.ssl.bundle}. */
  private static @Nullable SslBundle sslBundle(DataRedisConnectionDetails d) {
    try {
      return d.getSslBundle();
    } catch (NoSuchSslBundleException e) {
      throw BootRedisSettings.missingBundle(e.getBundleName(), e);
    }
  }

  private static List<String> nodes(List<DataRedisConnectionDetails.Node> nodes) {
    return nodes.stream()
        .map(n -> (n.host().contains(":") ? "[" + n.host() + "]" : n.host()) + ":" + n.port())
        .toList();
  }
}

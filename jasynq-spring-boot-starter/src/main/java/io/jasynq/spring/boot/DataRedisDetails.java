package io.jasynq.spring.boot;

import java.util.List;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * Reads Boot's {@link DataRedisConnectionDetails} (which covers {@code spring.data.redis.url},
 * host, Sentinel, Cluster and service connections). Loaded only when spring-boot-data-redis is on
 * the class path. Stateless.
 */
final class DataRedisDetails {
  private DataRedisDetails() {}

  static BootRedisSettings settings(DataRedisConnectionDetails d) {
    boolean ssl = d.getSslBundle() != null;
    DataRedisConnectionDetails.Cluster cluster = d.getCluster();
    if (cluster != null) {
      return new BootRedisSettings(
          null,
          null,
          0,
          0,
          d.getUsername(),
          d.getPassword(),
          ssl,
          null,
          List.of(),
          null,
          null,
          nodes(cluster.getNodes()));
    }
    DataRedisConnectionDetails.Sentinel sentinel = d.getSentinel();
    if (sentinel != null) {
      return new BootRedisSettings(
          null,
          null,
          0,
          sentinel.getDatabase(),
          d.getUsername(),
          d.getPassword(),
          ssl,
          sentinel.getMaster(),
          nodes(sentinel.getNodes()),
          sentinel.getUsername(),
          sentinel.getPassword(),
          List.of());
    }
    DataRedisConnectionDetails.Standalone s = d.getStandalone();
    if (s == null) {
      throw new IllegalStateException(
          "spring.data.redis names no standalone, Sentinel or Cluster Redis jasynq can use"
              + " (master/replica is not supported); set jasynq.redis.uri");
    }
    return new BootRedisSettings(
        null,
        s.getHost(),
        s.getPort(),
        s.getDatabase(),
        d.getUsername(),
        d.getPassword(),
        ssl,
        null,
        List.of(),
        null,
        null,
        List.of());
  }

  private static List<String> nodes(List<DataRedisConnectionDetails.Node> nodes) {
    return nodes.stream()
        .map(n -> (n.host().contains(":") ? "[" + n.host() + "]" : n.host()) + ":" + n.port())
        .toList();
  }
}

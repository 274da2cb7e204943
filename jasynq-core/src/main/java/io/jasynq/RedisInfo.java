package io.jasynq;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Redis says about itself, for {@code jasynq stats} and dashboards: the fields of {@code INFO}
 * (all sections flattened, {@code name -> value}), and on a Redis Cluster the fields of {@code
 * CLUSTER INFO} plus the {@code INFO} of each master.
 *
 * <pre>{@code
 * RedisInfo info = inspector.redisInfo();
 * if (info.isCluster()) {
 *   System.out.println(info.clusterInfo().get("cluster_state"));      // "ok"
 *   info.masters().forEach((addr, f) -> System.out.println(addr + " " + f.get("used_memory_human")));
 * } else {
 *   System.out.println(info.info().get("redis_version"));
 * }
 * }</pre>
 *
 * @param info {@code INFO} of the server (standalone, or the Sentinel master); empty on a cluster
 * @param clusterInfo {@code CLUSTER INFO}; empty unless on a cluster
 * @param masters {@code INFO} of each cluster master by {@code host:port}, sorted by address; empty
 *     unless on a cluster
 * @since 0.2
 */
public record RedisInfo(
    Map<String, String> info,
    Map<String, String> clusterInfo,
    Map<String, Map<String, String>> masters) {

  /** Copies the maps (keeping their order) so the record is immutable. */
  public RedisInfo {
    info = Collections.unmodifiableMap(new LinkedHashMap<>(info));
    clusterInfo = Collections.unmodifiableMap(new LinkedHashMap<>(clusterInfo));
    Map<String, Map<String, String>> m = new LinkedHashMap<>();
    masters.forEach((k, v) -> m.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    masters = Collections.unmodifiableMap(m);
  }

  /** Whether these facts come from a Redis Cluster. */
  public boolean isCluster() {
    return !clusterInfo.isEmpty() || !masters.isEmpty();
  }
}

package io.jasynq.dashboard;

import io.jasynq.Inspector;
import io.jasynq.RedisInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code GET /api/redis_info} shows, read through the {@link Inspector}. Stateless. */
final class RedisInfoView {
  private RedisInfoView() {}

  /** The {@code /api/redis_info} reply: INFO fields, raw text and, on a cluster, queue slots. */
  static Map<String, Object> of(Inspector inspector, String address) {
    RedisInfo info = inspector.redisInfo();
    Map<String, String> fields =
        info.isCluster() && !info.masters().isEmpty()
            ? info.masters().values().iterator().next()
            : info.info();
    StringBuilder raw = new StringBuilder();
    fields.forEach((k, v) -> raw.append(k).append(':').append(v).append("\r\n"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", address);
    m.put("info", fields);
    m.put("raw_info", raw.toString());
    m.put("cluster", info.isCluster());
    m.put("cluster_info", info.clusterInfo());
    m.put("masters", info.masters());
    m.put("raw_cluster_nodes", null);
    m.put("queue_locations", info.isCluster() ? queueLocations(inspector) : null);
    return m;
  }

  private static List<Object> queueLocations(Inspector inspector) {
    List<Object> out = new ArrayList<>();
    for (String q : inspector.queues()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("queue", q);
      m.put("keyslot", inspector.clusterKeySlot(q));
      m.put("nodes", inspector.clusterNodes(q).stream().map(n -> n.address()).toList());
      out.add(m);
    }
    return out;
  }
}

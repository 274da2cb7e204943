package io.jasynq.lifecycle;

import io.jasynq.support.ClusterQueues;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;

/** The lifecycle matrix on a Redis Cluster (3 masters, 1 replica each). */
@RedisClusterTest
class ClusterLifecycleTest extends LifecycleMatrixTest {
  private final RedisCluster cluster;

  ClusterLifecycleTest(RedisCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  String uri() {
    return ClusterQueues.uri(cluster);
  }
}

package io.jasynq;

/**
 * A Redis Cluster node serving a queue's slot, as {@link Inspector#clusterNodes} lists it (Asynq's
 * {@code ClusterNode}).
 *
 * @param id the node ID (40 hex characters)
 * @param address where it listens, {@code host:port}
 * @since 0.2
 */
public record ClusterNode(String id, String address) {}

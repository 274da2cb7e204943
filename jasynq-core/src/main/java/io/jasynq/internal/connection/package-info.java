/**
 * How connections to Redis are opened, followed and closed, per topology: standalone, Sentinel
 * (following the master across failovers), Redis Cluster, or a connection lent by the caller
 * ({@link io.jasynq.internal.connection.Topology}), opened through a connector's {@link
 * io.jasynq.internal.connection.ConnectorSource}; the {@link
 * io.jasynq.internal.connection.RedisConnection} and {@link
 * io.jasynq.internal.connection.Subscription} the broker uses; URI parsing, TLS and connect errors.
 * Knows nothing of queues: the broker sends every data command.
 *
 * <p>Not API: may change without notice.
 */
package io.jasynq.internal.connection;

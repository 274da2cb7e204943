/**
 * How to reach Redis, and who owns the connection: {@link io.jasynq.redis.RedisConnector}.
 *
 * @since 0.1
 */
package io.jasynq.redis;

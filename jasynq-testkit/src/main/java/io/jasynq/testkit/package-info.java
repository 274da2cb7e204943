/**
 * Test tooling for jasynq and its users: real {@code redis-server} processes ({@link
 * io.jasynq.testkit.RedisServer}, {@link io.jasynq.testkit.RedisBinary}), an inspection helper
 * ({@link io.jasynq.testkit.TestRedis}), a controllable clock ({@link
 * io.jasynq.testkit.FakeClock}), leak checks ({@link io.jasynq.testkit.Leaks}) and a JUnit 5
 * extension that ties them together ({@link io.jasynq.testkit.RedisTest}). Sentinel and cluster
 * topologies ({@link io.jasynq.testkit.RedisSentinel}, {@link io.jasynq.testkit.RedisCluster}) come
 * as a plain API and as JUnit 5 annotations ({@link io.jasynq.testkit.RedisSentinelTest}, {@link
 * io.jasynq.testkit.RedisClusterTest}), tagged {@code topology}. Tasks are put into Redis in a
 * given state with {@link io.jasynq.testkit.Seed} (or as hostile records with {@link
 * io.jasynq.testkit.Poison}) and checked with the AssertJ assertions of {@link
 * io.jasynq.testkit.RedisAssertions}, both in Asynq's key schema.
 *
 * <p>Needs a {@code redis-server} on the {@code PATH}, configured with {@code
 * -Djasynq.redis.server}, or falls back to the Redis 6.2 binaries shipped in the embedded-redis jar
 * (a dependency of the test kit). No Docker required. Finding, starting and reaping the processes
 * is {@code jasynq-embedded-redis}'s job ({@code io.jasynq.embedded}), which apps can use without
 * the test kit's JUnit and BouncyCastle.
 *
 * @since 0.1.0
 */
package io.jasynq.testkit;

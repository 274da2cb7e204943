/**
 * A throwaway {@code redis-server} for apps and tools: {@link io.jasynq.embedded.RedisProcess}
 * starts one standalone server on a free loopback port (the {@code jasynq demo}'s Redis), {@link
 * io.jasynq.embedded.RedisExecutable} finds the binary. No test library: {@code jasynq-testkit}
 * builds its servers, Sentinels and clusters on this module, whose process machinery ({@link
 * io.jasynq.embedded.ServerLauncher}, {@link io.jasynq.embedded.ProcessReaper}, {@link
 * io.jasynq.embedded.Resp}, {@link io.jasynq.embedded.RedisFiles}) is public for that use.
 *
 * <p>Needs a {@code redis-server} on the {@code PATH}, configured with {@code
 * -Djasynq.redis.server}, or the Redis 6.2 binaries of the {@code
 * com.github.codemonstur:embedded-redis} jar on the class path (not a dependency of this module).
 *
 * @since 0.1.0
 */
package io.jasynq.embedded;

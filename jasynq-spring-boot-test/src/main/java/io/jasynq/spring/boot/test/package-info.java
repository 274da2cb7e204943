/**
 * Spring test support for jasynq: {@link io.jasynq.spring.boot.test.EmbeddedRedis} runs a throwaway
 * {@code redis-server} from jasynq-testkit for a test's application context.
 */
package io.jasynq.spring.boot.test;

package io.jasynq.internal.broker;

import io.jasynq.testkit.RedisTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A broker test: its own real redis-server ({@link RedisTest}) and a fresh {@link BrokerFixture}
 * per test, injected into the test's constructor or methods and closed after it (before the leak
 * check).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@RedisTest
@ExtendWith(BrokerFixtureExtension.class)
@interface BrokerTest {}

package io.jasynq.support;

import io.jasynq.testkit.RedisTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test of a running server: its own real redis-server ({@link RedisTest}) and a fresh {@link
 * ServerFixture} per test (a client plus the servers the test starts), injected into the test's
 * constructor or methods and closed after it (before the leak check).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@RedisTest
@ExtendWith(ServerFixtureExtension.class)
public @interface ServerTest {}

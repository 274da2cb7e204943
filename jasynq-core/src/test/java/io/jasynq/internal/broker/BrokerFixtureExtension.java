package io.jasynq.internal.broker;

import io.jasynq.support.FixtureExtension;

/**
 * Resolves {@link BrokerFixture} parameters of {@link BrokerTest} classes: one fixture per test,
 * built on the class's server, closed after the test (see {@link FixtureExtension}).
 */
final class BrokerFixtureExtension extends FixtureExtension<BrokerFixture> {
  BrokerFixtureExtension() {
    super(BrokerFixture.class);
  }
}

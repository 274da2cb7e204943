package io.jasynq.internal.server;

import io.jasynq.support.FixtureExtension;

/** Injects a {@link ServerPartFixture} per test into {@link ServerPartTest} classes. */
final class ServerPartFixtureExtension extends FixtureExtension<ServerPartFixture> {
  ServerPartFixtureExtension() {
    super(ServerPartFixture.class);
  }
}

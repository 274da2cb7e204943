package io.jasynq.support;

/** Injects a {@link ServerFixture} per test into {@link ServerTest} classes. */
public final class ServerFixtureExtension extends FixtureExtension<ServerFixture> {
  /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
  public ServerFixtureExtension() {
    super(ServerFixture.class);
  }
}

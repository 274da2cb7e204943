package io.jasynq.spring.boot;

import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real redis-server for a test class of the starter, started before its tests and closed after
 * them, and the application properties that point Spring Boot at it. Register it as
 * {@code @RegisterExtension static final BootRedis redis = new BootRedis(...)}.
 */
final class BootRedis implements BeforeAllCallback, AfterAllCallback {
  private final List<String> defaults;
  private RedisServer server;
  private TestRedis raw;

  /** {@code defaults}: properties every application of the class gets after the Redis ones. */
  BootRedis(String... defaults) {
    this.defaults = List.of(defaults);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (raw != null) {
      raw.close();
      raw = null;
    }
    server.close();
  }

  /**
   * {@code spring.data.redis.host} and {@code port} of this server, then the defaults, then {@code
   * more}.
   */
  String[] properties(String... more) {
    List<String> all = new ArrayList<>();
    all.add("spring.data.redis.host=" + server.host());
    all.add("spring.data.redis.port=" + server.port());
    all.addAll(defaults);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /**
   * Runs {@code app} as a servlet application on a free port of 127.0.0.1, with {@link #properties}
   * and {@code more}.
   */
  ConfigurableApplicationContext runWeb(Class<?> app, String... more) {
    List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1"));
    all.addAll(List.of(properties(more)));
    return new SpringApplicationBuilder(app)
        .web(WebApplicationType.SERVLET)
        .properties(all.toArray(String[]::new))
        .run();
  }

  /** A test helper on this server, connected on the first call and closed after the class. */
  TestRedis raw() {
    if (raw == null) {
      raw = TestRedis.connect(server.uri());
    }
    return raw;
  }

  String host() {
    return server.host();
  }

  int port() {
    return server.port();
  }

  String uri() {
    return server.uri();
  }

  boolean isRunning() {
    return server.isRunning();
  }

  /** Stops the server; {@link #restart()} brings it back on the same port. */
  void stop() {
    server.stop();
  }

  void restart() {
    server.restart();
  }
}

package io.jasynq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The builder, ownership, and mounting at other paths. */
@RedisTest
class DashboardTest {

  @Test
  void builderNeedsExactlyOneTargetAndValidQueueNames(RedisServer server) {
    assertThatThrownBy(() -> Dashboard.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("exactly one of uri and connector must be given, was neither");
    try (RedisConnector connector = RedisConnector.create(server.uri())) {
      assertThatThrownBy(() -> Dashboard.builder().uri(server.uri()).connector(connector).build())
          .hasMessage("exactly one of uri and connector must be given, was both");
    }
    assertThatThrownBy(() -> Dashboard.builder().readOnlyQueues(Arrays.asList("a", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readOnlyQueues must hold non-blank queue names");
    assertThatThrownBy(() -> BasicAuthenticator.of("a:b", "pw"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BasicAuthenticator.of("a", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBorrowedConnectorStaysOpenAfterClose(RedisServer server) {
    try (RedisConnector connector = RedisConnector.create(server.uri())) {
      Dashboard dashboard =
          Dashboard.builder().connector(connector).readOnlyQueues(List.of("q")).build();
      assertThat(dashboard.readOnlyQueues()).containsExactly("q");
      assertThat(dashboard.toString()).isEqualTo("Dashboard[127.0.0.1:" + server.port() + "]");
      dashboard.close();
      dashboard.close();
      assertThat(dashboard.isClosed()).isTrue();
      assertThat(connector.isClosed()).isFalse();
    }
  }

  @Test
  void worksMountedAtTheRootAndAsTheDefaultServlet(RedisServer server) throws Exception {
    for (String mapping : List.of("/*", "/")) {
      try (Dashboard dashboard =
          Dashboard.builder().uri(server.uri()).uiRoot("io/jasynq/dashboard/testui/").build()) {
        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/ctx");
        context.addServlet(new ServletHolder(dashboard.servlet()), mapping);
        jetty.setHandler(context);
        jetty.start();
        try {
          HttpClient client = HttpClient.newHttpClient();
          String base = "http://127.0.0.1:" + connector.getLocalPort() + "/ctx";
          HttpResponse<String> api =
              client.send(
                  HttpRequest.newBuilder(URI.create(base + "/api/config")).build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(api.statusCode()).as(mapping).isEqualTo(200);
          assertThat(api.body()).contains("\"csrf_header\":\"X-CSRF-Token\"");
          assertThat(api.headers().firstValue("Set-Cookie").orElseThrow()).contains("Path=/ctx;");
          HttpResponse<String> page =
              client.send(
                  HttpRequest.newBuilder(URI.create(base + "/")).build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(page.statusCode()).as(mapping).isEqualTo(200);
          assertThat(page.body()).contains("jasynq test page");
        } finally {
          jetty.stop();
        }
      }
    }
  }

  @Test
  void addressNamesWhereRedisIsWithoutSchemeUserOrDatabase() {
    assertThat(Dashboard.address("Inspector[redis://127.0.0.1:6380/0, open]"))
        .isEqualTo("127.0.0.1:6380");
    assertThat(Dashboard.address("Inspector[rediss://alice@[::1]:6380/3, closed]"))
        .isEqualTo("[::1]:6380");
    assertThat(
            Dashboard.address(
                "Inspector[redis-sentinel://bob@127.0.0.1:1,127.0.0.1:2/0?master=mymaster, open]"))
        .isEqualTo("mymaster via sentinels 127.0.0.1:1,127.0.0.1:2");
    assertThat(Dashboard.address("Inspector[rediss-sentinel://127.0.0.1:1/0?master=main, open]"))
        .isEqualTo("main via sentinels 127.0.0.1:1");
    assertThat(Dashboard.address("Inspector[redis-cluster://carol@h1:7000,h2:7001, open]"))
        .isEqualTo("h1:7000,h2:7001");
    assertThat(
            Dashboard.address("Inspector[borrowed RedisClient, redis://sentinel:mymaster/0, open]"))
        .isEqualTo("sentinel:mymaster");
    assertThat(Dashboard.address("Inspector[borrowed cluster connection, open]"))
        .isEqualTo("borrowed cluster connection");
    assertThat(Dashboard.address("something else")).isEqualTo("redis");
  }
}

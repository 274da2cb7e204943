package io.jasynq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page's third-party files: uPlot's dist folder from its webjar under /vendor/uplot/. */
@RedisTest
class VendorFilesTest {
  private Dashboard dashboard;
  private DashboardHttp http;

  @BeforeEach
  void start(RedisServer server) {
    dashboard = Dashboard.builder().uri(server.uri()).build();
    http = DashboardHttp.start(dashboard);
  }

  @AfterEach
  void stop() {
    http.close();
    dashboard.close();
  }

  @Test
  void servesUplotsScriptAndStylesWithTypesAndEtags() {
    DashboardHttp.Reply js = http.get("/vendor/uplot/uPlot.esm.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.header("Content-Type")).startsWith("text/javascript");
    assertThat(js.text()).contains("export { uPlot as default }");
    assertThat(js.header("Content-Security-Policy")).contains("script-src 'self'");
    String etag = js.header("ETag");
    assertThat(etag).startsWith("\"");
    DashboardHttp.Reply again =
        http.send(
            HttpRequest.newBuilder(http.uri("/vendor/uplot/uPlot.esm.js"))
                .header("If-None-Match", etag)
                .GET());
    assertThat(again.status()).isEqualTo(304);

    DashboardHttp.Reply css = http.get("/vendor/uplot/uPlot.min.css");
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.header("Content-Type")).startsWith("text/css");
    assertThat(css.text()).contains(".uplot");
  }

  @Test
  void servesNothingElseFromTheWebjarOrTheClasspath() {
    assertThat(http.get("/vendor/uplot/uPlot.d.ts").status()).isEqualTo(404);
    assertThat(http.get("/vendor/uplot/../LICENSE").status()).isEqualTo(404);
    // Jetty itself refuses an encoded dot segment (400) before the servlet sees it.
    assertThat(http.get("/vendor/uplot/%2e%2e/LICENSE").status()).isIn(400, 404);
    assertThat(http.get("/vendor/uplot/").status()).isEqualTo(404);
    assertThat(http.get("/vendor/uplot/nope.js").status()).isEqualTo(404);
    assertThat(http.get("/vendor/other/uPlot.esm.js").status()).isEqualTo(404);
    assertThat(http.post("/vendor/uplot/uPlot.esm.js", null).status()).isEqualTo(405);
  }
}

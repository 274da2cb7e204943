package io.jasynq.dashboard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Payload rendering and asynqmon's display latency, without Redis. */
class PayloadsTest {
  private static Map<String, Object> render(byte[] bytes, int limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    Payloads.put(m, "payload", bytes, limit);
    return m;
  }

  @Test
  void jsonIsPrettyPrintedAndKeepsAsynqmonsString() {
    Map<String, Object> m = render("{\"a\":[1,2]}".getBytes(UTF_8), 2000);
    assertThat(m.get("payload")).isEqualTo("{\"a\":[1,2]}");
    assertThat(m.get("payload_format")).isEqualTo("json");
    assertThat((String) m.get("payload_preview")).contains("\"a\" : [ 1, 2 ]").contains("{\n");
    assertThat(m.get("payload_size")).isEqualTo(11);
    assertThat(m.get("payload_truncated")).isEqualTo(false);
  }

  @Test
  void textThatIsNotOneJsonValueIsText() {
    for (String s : new String[] {"hello", "1 2", "{\"a\":1} x", "{\"a\":"}) {
      assertThat(render(s.getBytes(UTF_8), 100).get("payload_format")).as(s).isEqualTo("text");
    }
    assertThat(render("42".getBytes(UTF_8), 100).get("payload_format")).isEqualTo("json");
  }

  @Test
  void binaryIsAHexDumpAndNonPrintableForAsynqmon() {
    Map<String, Object> m = render(new byte[] {'h', 'i', 0, (byte) 0xc3}, 2000);
    assertThat(m.get("payload")).isEqualTo("non-printable bytes");
    assertThat(m.get("payload_format")).isEqualTo("hex");
    assertThat(m.get("payload_preview"))
        .isEqualTo("00000000  68 69 00 c3                                       |hi..|\n");
    // Valid UTF-8 with a control character: not printable, so hex too.
    assertThat(render("a\u0007b".getBytes(UTF_8), 100).get("payload_format")).isEqualTo("hex");
  }

  @Test
  void previewsAreCutAtTheLimit() {
    Map<String, Object> m = render("x".repeat(50).getBytes(UTF_8), 10);
    assertThat(m.get("payload_preview")).isEqualTo("x".repeat(10));
    assertThat(m.get("payload")).isEqualTo("x".repeat(10));
    assertThat(m.get("payload_truncated")).isEqualTo(true);
    assertThat(m.get("payload_size")).isEqualTo(50);
    Map<String, Object> hex = render(new byte[100], 100);
    assertThat((String) hex.get("payload_preview")).hasSize(100);
    assertThat(hex.get("payload_truncated")).isEqualTo(true);
    Map<String, Object> json = render("[1,2,3,4,5,6,7,8,9]".getBytes(UTF_8), 8);
    assertThat(json.get("payload_format")).isEqualTo("json");
    assertThat(json.get("payload_truncated")).isEqualTo(true);
  }

  @Test
  void noValueHasNoFormat() {
    Map<String, Object> m = render(null, 100);
    assertThat(m.get("payload")).isEqualTo("");
    assertThat(m.get("payload_format")).isNull();
    assertThat(m.get("payload_size")).isEqualTo(0);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "4, 0s",
    "5, 10ms",
    "120, 120ms",
    "1500, 1.5s",
    "90500, 1m30.5s",
    "7200000, 2h0m0s",
    "3723010, 1h2m3.01s"
  })
  void displayLatencyIsGosDurationRoundedToTenMilliseconds(long millis, String expected) {
    assertThat(Views.goDuration(Duration.ofMillis(millis))).isEqualTo(expected);
  }
}

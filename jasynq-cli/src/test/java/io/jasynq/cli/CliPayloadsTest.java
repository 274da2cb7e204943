package io.jasynq.cli;

import static io.jasynq.TaskOption.taskId;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads too large for a command line: {@code task enqueue --payload-file FILE|-}, {@code task
 * inspect --full}; and {@code version --json}.
 */
@RedisTest
class CliPayloadsTest {
  @TempDir Path home;

  @Test
  void enqueueReadsThePayloadFromAFile(RedisServer server, TestRedis redis) throws Exception {
    byte[] big = new byte[3 * 1024 * 1024]; // more than a shell's ARG_MAX
    Arrays.fill(big, (byte) 'x');
    big[0] = (byte) 0xff; // not text: the bytes are taken as they are
    Path file = Files.write(home.resolve("payload.bin"), big);
    Cli cli = Cli.redis(home, server.uri());

    Cli.Result r =
        cli.run("task", "enqueue", "-t", "big", "--id", "f", "--payload-file", file.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    byte[] stored =
        Base64.getDecoder()
            .decode(
                cli.run("task", "inspect", "-q", "default", "-i", "f", "--json")
                    .json()
                    .get("payload_base64")
                    .asText());
    assertThat(stored).isEqualTo(big);
  }

  @Test
  void enqueueReadsThePayloadFromStandardInput(RedisServer server) {
    Cli cli = Cli.redis(home, server.uri()).stdin("{\"from\":\"stdin\"}\n".getBytes(UTF_8));

    Cli.Result r = cli.run("task", "enqueue", "-t", "t", "--id", "s", "--payload-file", "-");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(
            cli.run("task", "inspect", "-q", "default", "-i", "s", "--json")
                .json()
                .get("payload")
                .asText())
        .isEqualTo("{\"from\":\"stdin\"}\n");
  }

  @Test
  void payloadAndPayloadFileAreExclusiveAndAMissingFileIsNamed(
      RedisServer server, TestRedis redis) {
    Cli cli = Cli.redis(home, server.uri());

    Cli.Result r = cli.run("task", "enqueue", "-t", "t", "-l", "a", "--payload-file", "-");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("give either --payload or --payload-file, not both");

    Path missing = home.resolve("nope.json");
    r = cli.run("task", "enqueue", "-t", "t", "--payload-file", missing.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("jasynq: --payload-file " + missing + " does not exist\n");

    assertThat(redis.lrange("asynq:{default}:pending")).isEmpty();
  }

  @Test
  void inspectCutsLongPayloadsUnlessFull(RedisServer server) {
    String text = "line one\n" + "y".repeat(5000) + "\nTHE-END";
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("long", text.getBytes(UTF_8)), taskId("long"));
    }
    Cli cli = Cli.redis(home, server.uri());

    Cli.Result cut = cli.run("task", "inspect", "-q", "default", "-i", "long");
    assertThat(cut.code()).as(cut.toString()).isZero();
    assertThat(cut.out()).doesNotContain("THE-END").contains("--full or --json shows all");
    assertThat(cut.out().length()).isLessThan(3000);

    Cli.Result full = cli.run("task", "inspect", "-q", "default", "-i", "long", "--full");
    assertThat(full.code()).as(full.toString()).isZero();
    assertThat(full.out()).contains(text).doesNotContain("shows all");
  }

  @Test
  void versionPrintsJson() {
    Cli.Result r = Cli.in(home).run("version", "--json");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.json().get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(r.json().get("wire_format").asText()).startsWith("Asynq v0.");
  }
}

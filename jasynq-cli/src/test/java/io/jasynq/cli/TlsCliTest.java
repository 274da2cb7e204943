package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasynq.testkit.RedisBinary;
import io.jasynq.testkit.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tls}, {@code --tls_ca}, {@code --tls_server} and {@code --insecure} against a real TLS
 * redis-server: verified with the CA, unverified when insecure, and a one-line reason for a wrong
 * CA or host name.
 */
class TlsCliTest {
  private static RedisServer server;
  private static RedisServer otherName;

  @TempDir Path home;

  @BeforeAll
  static void startServers() {
    RedisBinary binary = RedisBinary.locate();
    assumeTrue(binary.supportsTls(), binary + " was built without TLS: skipping TLS tests");
    server = RedisServer.builder().binary(binary).tls().start();
    otherName = RedisServer.builder().binary(binary).tlsServerNames("redis.test").start();
  }

  @AfterAll
  static void stopServers() {
    if (otherName != null) {
      otherName.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void enqueuesAndReadsOverVerifiedTls() {
    String ca = server.caCertificate().toString();
    Cli cli = Cli.in(home);
    Cli.Result r =
        cli.run(
            "task",
            "enqueue",
            "-t",
            "over:tls",
            "-q",
            "tlsq",
            "-u",
            server.tlsUri(),
            "--tls_ca",
            ca);
    assertThat(r.code()).as(r.toString()).isZero();
    r = cli.run("queue", "ls", "--json", "-u", server.tlsUri(), "--tls_ca", ca);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.json().findValues("queue")).extracting(n -> n.asText()).contains("tlsq");
    r = cli.run("stats", "-u", "127.0.0.1:" + server.tlsPort(), "--tls", "--tls_ca", ca);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("tlsq");
  }

  @Test
  void theCaCanComeFromTheConfigFile() {
    Cli cli = Cli.in(home);
    cli.write(
        ".jasynq.yaml", "uri: " + server.tlsUri() + "\ntls_ca: " + server.caCertificate() + "\n");
    Cli.Result r = cli.run("stats");
    assertThat(r.code()).as(r.toString()).isZero();
  }

  @Test
  void insecureNeedsNoCa() {
    Cli.Result r = Cli.in(home).run("queue", "ls", "-u", otherName.tlsUri(), "--insecure");
    assertThat(r.code()).as(r.toString()).isZero();
  }

  @Test
  void aWrongCaFailsInOneLineSayingSo() {
    Cli.Result r =
        Cli.in(home)
            .run(
                "stats", "-u", server.tlsUri(), "--tls_ca", server.wrongCaCertificate().toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err().lines())
        .as(r.toString())
        .singleElement()
        .asString()
        .startsWith("jasynq: TLS handshake with 127.0.0.1:" + server.tlsPort() + " ")
        .contains("not signed by a trusted CA")
        .contains("--tls_ca");
  }

  @Test
  void aCertificateForAnotherHostFailsUnlessTlsServerNamesIt() {
    String ca = otherName.caCertificate().toString();
    Cli.Result r = Cli.in(home).run("stats", "-u", otherName.tlsUri(), "--tls_ca", ca);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err())
        .contains("TLS handshake with 127.0.0.1:" + otherName.tlsPort())
        .contains("does not match the host name 127.0.0.1")
        .contains("--tls_server");

    r =
        Cli.in(home)
            .run("stats", "-u", otherName.tlsUri(), "--tls_ca", ca, "--tls_server", "redis.test");
    assertThat(r.code()).as(r.toString()).isZero();
  }
}

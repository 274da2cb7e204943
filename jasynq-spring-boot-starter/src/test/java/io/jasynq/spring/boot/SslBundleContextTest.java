package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisBinary;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestCertificateAuthority;
import io.lettuce.core.RedisClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spring.data.redis.ssl.bundle} against real TLS redis-servers signed by a throwaway CA that
 * the JVM does not trust: the bundle's trust store verifies the server, and its key store is the
 * client certificate a server with {@code tls-auth-clients yes} requires.
 */
class SslBundleContextTest {
  @TempDir static Path dir;
  private static RedisServer server;
  private static RedisServer mutual;
  private static Path ca;
  private static Path clientCertificate;
  private static Path clientKey;

  @BeforeAll
  static void startServers() {
    RedisBinary binary = RedisBinary.locate();
    assumeTrue(binary.supportsTls(), binary + " was built without TLS: skipping TLS tests");
    TestCertificateAuthority authority = TestCertificateAuthority.create();
    ca = authority.writeCertificate(dir.resolve("ca.crt"));
    clientCertificate = dir.resolve("client.crt");
    clientKey = dir.resolve("client.key");
    authority.issue(List.of("jasynq-client"), clientCertificate, clientKey);
    server = RedisServer.builder().binary(binary).tls(authority).start();
    mutual = RedisServer.builder().binary(binary).tls(authority).start();
    RedisClient admin = RedisClient.create(mutual.uri());
    try (var connection = admin.connect()) {
      connection.sync().configSet("tls-auth-clients", "yes");
    } finally {
      admin.shutdown();
    }
  }

  @AfterAll
  static void stopServers() {
    if (mutual != null) {
      mutual.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String[] onTls(RedisServer target, boolean clientCertificate, String... more) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + target.tlsPort(),
                "spring.data.redis.ssl.bundle=redis",
                "spring.data.redis.connect-timeout=5s",
                "spring.ssl.bundle.pem.redis.truststore.certificate=file:" + ca,
                "jasynq.server.shutdown-timeout=1s"));
    if (clientCertificate) {
      all.add(
          "spring.ssl.bundle.pem.redis.keystore.certificate=file:"
              + SslBundleContextTest.clientCertificate);
      all.add("spring.ssl.bundle.pem.redis.keystore.private-key=file:" + clientKey);
    }
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static void runsTask(String... properties) {
    try (var context = Apps.run(Apps.EmailApp.class, properties)) {
      Apps.Welcome welcome = new Apps.Welcome("tls@example.com", 1);
      TaskInfo info =
          context
              .getBean(JasynqTemplate.class)
              .enqueue("email:welcome", welcome, TaskOption.maxRetry(0));
      Apps.Emails emails = context.getBean(Apps.Emails.class);
      Eventually.until("the handler ran", () -> emails.taskIds.contains(info.id()));
    }
  }

  @Test
  void trustsTheBundlesCertificatesWithBootsConnectionDetails() {
    runsTask(onTls(server, false));
  }

  @Test
  void presentsTheBundlesClientCertificateWithBootsConnectionDetails() {
    runsTask(onTls(mutual, true));
  }

  @Test
  void presentsTheBundlesClientCertificateBindingSpringDataRedisItself() {
    runsTask(onTls(mutual, true, TopologyChecks.WITHOUT_BOOT_DATA_REDIS));
  }

  @Test
  void aMissingBundleFailsTheContextNamingThePropertyAndTheName() {
    assertThatThrownBy(
            () ->
                Apps.run(
                        Apps.EmailApp.class,
                        onTls(
                            server,
                            false,
                            "spring.data.redis.ssl.bundle=nope",
                            TopologyChecks.WITHOUT_BOOT_DATA_REDIS))
                    .close())
        .hasStackTraceContaining(
            "spring.data.redis.ssl.bundle=nope names no SSL bundle: define it under"
                + " spring.ssl.bundle.pem.nope.* or spring.ssl.bundle.jks.nope.*");
  }
}

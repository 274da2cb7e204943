package io.jasynq.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The PEM files that open a redis-server's TLS port: its certificate and key, and the CA that
 * clients and peers are checked against. Immutable.
 *
 * @param certificate the server certificate
 * @param key its private key
 * @param caCertificate the CA certificate ({@code tls-ca-cert-file})
 * @since 0.1.0
 */
public record RedisTls(Path certificate, Path key, Path caCertificate) {
  /**
   * Checks the files are given.
   *
   * @throws NullPointerException if one is null
   */
  public RedisTls {
    Objects.requireNonNull(certificate, "certificate == null");
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(caCertificate, "caCertificate == null");
  }

  /**
   * The directives that open {@code tlsPort} with these files. Clients need no certificate of their
   * own; replication, Sentinel and the cluster bus use TLS where the caller adds {@code
   * tls-replication} and {@code tls-cluster}.
   *
   * @param tlsPort the TLS port
   * @return the directives, in order
   */
  public Map<String, String> directives(int tlsPort) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("tls-port", Integer.toString(tlsPort));
    d.put("tls-cert-file", certificate.toString());
    d.put("tls-key-file", key.toString());
    d.put("tls-ca-cert-file", caCertificate.toString());
    d.put("tls-auth-clients", "no");
    return d;
  }
}

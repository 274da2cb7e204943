package io.jasynq.testkit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PEM files of one TLS process in its temp directory: the CA to trust, a server certificate and
 * key signed by it, and the certificate of an unrelated CA (for wrong-CA tests). Immutable.
 */
record TlsFiles(Path ca, Path certificate, Path key, Path wrongCa, List<String> names) {

  /** Writes the files into {@code directory/tls/}: ca.crt, server.crt, server.key, wrong-ca.crt. */
  static TlsFiles write(Path directory, TestCertificateAuthority ca, List<String> names) {
    Path tls = directory.resolve("tls");
    TlsFiles files =
        new TlsFiles(
            tls.resolve("ca.crt"),
            tls.resolve("server.crt"),
            tls.resolve("server.key"),
            tls.resolve("wrong-ca.crt"),
            List.copyOf(names));
    ca.writeCertificate(files.ca);
    ca.issue(names, files.certificate, files.key);
    TestCertificateAuthority.create().writeCertificate(files.wrongCa);
    return files;
  }

  /**
   * The directives that open {@code tlsPort} with these files. Clients need no certificate of their
   * own; replication, Sentinel and the cluster bus use TLS where the caller adds {@code
   * tls-replication} and {@code tls-cluster}.
   */
  Map<String, String> directives(int tlsPort) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("tls-port", Integer.toString(tlsPort));
    d.put("tls-cert-file", certificate.toString());
    d.put("tls-key-file", key.toString());
    d.put("tls-ca-cert-file", ca.toString());
    d.put("tls-auth-clients", "no");
    return d;
  }
}

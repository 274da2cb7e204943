package io.jasynq.testkit;

import io.jasynq.embedded.RedisTls;
import java.nio.file.Path;
import java.util.List;

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

  /** The files a redis-server's TLS port needs (see {@link RedisTls#directives(int)}). */
  RedisTls redisTls() {
    return new RedisTls(certificate, key, ca);
  }
}

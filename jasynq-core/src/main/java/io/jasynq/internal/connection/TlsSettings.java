package io.jasynq.internal.connection;

import io.jasynq.JasynqException;
import io.lettuce.core.SslOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The TLS side of a connector: checks the TLS settings, turns them into Lettuce {@link SslOptions}
 * (trusted CA file or trust manager factory, client key manager factory, SNI server name), and
 * explains a failed handshake in words. Stateless.
 */
final class TlsSettings {
  /**
   * A {@code host:port} in a Lettuce message, with Netty's {@code /<unresolved>} or {@code /ip}.
   */
  private static final Pattern ADDRESS =
      Pattern.compile(
          "(?<![\\w.-])((?:\\d{1,3}\\.){3}\\d{1,3}|[A-Za-z][A-Za-z0-9.-]*|\\[[0-9A-Fa-f:]+\\])"
              + "(?:/<unresolved>|/[0-9.]+)?:(\\d{1,5})(?!\\d)");

  private TlsSettings() {}

  /**
   * Rejects TLS options without TLS, a CA file that cannot be read or holds no certificate, a CA
   * file together with a trust manager factory, a trust manager factory with verification off, and
   * factories that were never initialized.
   */
  static void check(
      boolean tls,
      boolean verifyPeer,
      Path caFile,
      String serverName,
      TrustManagerFactory trust,
      KeyManagerFactory keys) {
    if (!tls && caFile != null) {
      throw new IllegalArgumentException(
          "tlsCaFile " + caFile + " needs TLS: use a rediss:// URI or tls(true)");
    }
    if (!tls && serverName != null) {
      throw new IllegalArgumentException(
          "tlsServerName \"" + serverName + "\" needs TLS: use a rediss:// URI or tls(true)");
    }
    if (!tls && trust != null) {
      throw new IllegalArgumentException(
          "tlsTrustManagerFactory needs TLS: use a rediss:// URI or tls(true)");
    }
    if (!tls && keys != null) {
      throw new IllegalArgumentException(
          "tlsKeyManagerFactory needs TLS: use a rediss:// URI or tls(true)");
    }
    if (caFile != null && trust != null) {
      throw new IllegalArgumentException(
          "use either tlsCaFile or tlsTrustManagerFactory, not both; tlsCaFile was " + caFile);
    }
    if (trust != null && !verifyPeer) {
      throw new IllegalArgumentException(
          "tlsTrustManagerFactory is never asked with verifyPeer(false), which trusts any server;"
              + " drop one of them");
    }
    if (trust != null) {
      try {
        trust.getTrustManagers();
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(
            "tlsTrustManagerFactory is not initialized: call init(KeyStore) first", e);
      }
    }
    if (keys != null) {
      try {
        keys.getKeyManagers();
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(
            "tlsKeyManagerFactory is not initialized: call init(KeyStore, char[]) first", e);
      }
    }
    if (caFile != null) {
      readCertificates(caFile);
    }
  }

  /**
   * Lettuce's options for our settings: the JDK's TLS, our CA file or trust manager factory, our
   * key manager factory (the certificate we present) and SNI name, each if given.
   */
  static SslOptions sslOptions(
      Path caFile,
      TrustManagerFactory trust,
      KeyManagerFactory keys,
      String serverName,
      Duration handshakeTimeout) {
    // The handshake is part of connecting: bound it by the connect timeout, not Lettuce's 10 s.
    SslOptions.Builder b = SslOptions.builder().jdkSslProvider().handshakeTimeout(handshakeTimeout);
    if (caFile != null) {
      b.trustManager(caFile.toFile());
    }
    if (trust != null) {
      b.trustManager(trust);
    }
    if (keys != null) {
      b.keyManager(keys);
    }
    if (serverName != null) {
      // With SNI set, the JDK verifies the certificate against this name (and, failing that, the
      // host connected to); Lettuce still turns on endpoint identification in FULL mode.
      b.sslParameters(
          () -> {
            SSLParameters parameters = new SSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            return parameters;
          });
    }
    return b.build();
  }

  private static void readCertificates(Path caFile) {
    if (!Files.isRegularFile(caFile) || !Files.isReadable(caFile)) {
      throw new IllegalArgumentException(
          "tlsCaFile " + caFile + " is not a readable file (a PEM file with the CA certificate)");
    }
    try (InputStream in = Files.newInputStream(caFile)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new IllegalArgumentException(
            "tlsCaFile "
                + caFile
                + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          "tlsCaFile "
              + caFile
              + " holds no readable certificate (expected PEM: -----BEGIN CERTIFICATE-----): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The exception for a failed connect: when TLS is to blame, one that says so in words, names the
   * address and says what to change; otherwise the plain "cannot connect". Never shows a password:
   * {@code description} is masked and handshake errors carry none.
   */
  static JasynqException connectFailure(String description, RuntimeException e) {
    List<Throwable> all = causes(e);
    Throwable handshake = null;
    for (Throwable t : all) {
      if (t instanceof SSLException || t instanceof CertificateException) {
        handshake = t;
        break;
      }
    }
    if (handshake == null) {
      return new JasynqException(
          "cannot connect to " + description + ": " + ConnectFailures.cause(e, all), e);
    }
    String address = address(all);
    String at =
        address == null || description.contains(address)
            ? (address == null ? description : address)
            : address + " (" + description + ")";
    return new JasynqException(
        "TLS handshake with "
            + at
            + " failed: "
            + problem(all, address)
            + " ["
            + root(handshake)
            + "]",
        e);
  }

  private static String problem(List<Throwable> all, @Nullable String address) {
    String host = address == null ? "the host" : hostOf(address);
    for (Throwable t : all) {
      if (t instanceof CertificateExpiredException
          || t instanceof CertificateNotYetValidException) {
        return "the server's certificate is expired or not yet valid";
      }
    }
    for (Throwable t : all) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException
          || m.contains("pkix path")
          || m.contains("unable to find valid certification path")) {
        return "the server's certificate is not signed by a trusted CA; give the CA's PEM file"
            + " (RedisConnector.Builder.tlsCaFile, CLI --tls_ca) or, for tests only, turn"
            + " verification off (verifyPeer(false), CLI --insecure)";
      }
    }
    for (Throwable t : all) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("subject alternative") || m.contains("no name matching")) {
        return "the server's certificate does not match the host name "
            + host
            + "; connect by a name the certificate holds, or name it with"
            + " RedisConnector.Builder.tlsServerName (CLI --tls_server)";
      }
    }
    for (Throwable t : all) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("unrecognized ssl message")
          || m.contains("not an ssl/tls record")
          || m.contains("handshake timed out")) {
        return "the server did not answer the TLS handshake; is this a TLS port?";
      }
    }
    return "the TLS handshake or certificate check failed";
  }

  private static String hostOf(String address) {
    int colon = address.lastIndexOf(':');
    return colon > 0 ? address.substring(0, colon) : address;
  }

  /**
   * The address of the node whose handshake failed: the last exception in the chain that names
   * exactly one {@code host:port} (outer ones list every sentinel or seed node).
   */
  private static @Nullable String address(List<Throwable> all) {
    String found = null;
    for (Throwable t : all) {
      if (t.getMessage() == null) {
        continue;
      }
      Matcher m = ADDRESS.matcher(t.getMessage());
      if (!m.find()) {
        continue;
      }
      String one = m.group(1) + ":" + m.group(2);
      boolean single = true;
      while (m.find()) {
        single &= one.equals(m.group(1) + ":" + m.group(2));
      }
      if (single) {
        found = one;
      }
    }
    return found;
  }

  private static String root(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r.getClass().getSimpleName() + ": " + r.getMessage();
  }

  /** {@code e}, its causes and suppressed exceptions, breadth first, each once. */
  private static List<Throwable> causes(Throwable e) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> result = new java.util.ArrayList<>();
    Deque<Throwable> queue = new ArrayDeque<>();
    queue.add(e);
    while (!queue.isEmpty()) {
      Throwable t = queue.poll();
      if (!seen.add(t)) {
        continue;
      }
      result.add(t);
      if (t.getCause() != null) {
        queue.add(t.getCause());
      }
      Collections.addAll(queue, t.getSuppressed());
    }
    return result;
  }
}

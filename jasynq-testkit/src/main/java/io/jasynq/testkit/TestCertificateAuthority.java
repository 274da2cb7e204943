package io.jasynq.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for TLS tests: an EC P-256 key pair and a self-signed CA
 * certificate, made in memory at test time (with Bouncy Castle), valid from an hour ago for a day.
 * It issues server certificates for the names a test asks for, so a test can check verification
 * against the right CA, a wrong CA and a wrong host name without any file checked in.
 *
 * <pre>{@code
 * TestCertificateAuthority ca = TestCertificateAuthority.create();
 * ca.writeCertificate(dir.resolve("ca.crt"));
 * ca.issue(List.of("127.0.0.1", "localhost"), dir.resolve("server.crt"), dir.resolve("server.key"));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Nothing is registered with the JCA: the JDK's providers sign.
 *
 * @since 0.1.0
 */
public final class TestCertificateAuthority {
  /** The names a testkit server's certificate carries by default: {@code 127.0.0.1, localhost}. */
  public static final List<String> LOOPBACK_NAMES = List.of(RedisServer.HOST, "localhost");

  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final X500Name subject;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCertificateAuthority(
      String name, X500Name subject, KeyPair keys, X509Certificate certificate) {
    this.name = name;
    this.subject = subject;
    this.keys = keys;
    this.certificate = certificate;
  }

  /**
   * Makes a new CA with a fresh key and a random name ({@code CN=jasynq testkit CA <hex>}), so two
   * CAs never trust each other's certificates.
   *
   * @return a new CA
   * @throws IllegalStateException if the JDK cannot make an EC key or sign
   */
  public static TestCertificateAuthority create() {
    String name = "jasynq testkit CA " + new BigInteger(32, RANDOM).toString(16);
    KeyPair keys = newKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = builder(subject, subject, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new TestCertificateAuthority(name, subject, keys, sign(b, keys));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot make a test CA: " + e, e);
    }
  }

  /**
   * The CA certificate, PEM-encoded: what a client is given to trust the servers this CA signed.
   *
   * @return one {@code -----BEGIN CERTIFICATE-----} block
   */
  public String certificatePem() {
    return pem(certificate);
  }

  /**
   * Writes {@link #certificatePem()} to {@code file}, replacing it.
   *
   * @param file the target
   * @return {@code file}
   * @throws UncheckedIOException if it cannot be written
   */
  public Path writeCertificate(Path file) {
    Objects.requireNonNull(file, "file == null");
    write(file, certificatePem());
    return file;
  }

  /**
   * Issues a server certificate (also good for TLS clients, as Redis replicas are) with a fresh EC
   * key, and writes both as PEM: the certificate to {@code certificateFile}, the unencrypted PKCS#8
   * key to {@code keyFile}. IP literals become IP-address subject alternative names, anything else
   * a DNS name; the first name is also the common name.
   *
   * @param names one or more host names or IP addresses, e.g. {@link #LOOPBACK_NAMES}
   * @param certificateFile where the certificate goes
   * @param keyFile where the private key goes
   * @throws IllegalArgumentException if {@code names} is empty or has a blank name
   * @throws UncheckedIOException if a file cannot be written
   */
  public void issue(List<String> names, Path certificateFile, Path keyFile) {
    Objects.requireNonNull(names, "names == null");
    Objects.requireNonNull(certificateFile, "certificateFile == null");
    Objects.requireNonNull(keyFile, "keyFile == null");
    if (names.isEmpty() || names.stream().anyMatch(n -> n == null || n.isBlank())) {
      throw new IllegalArgumentException("names must be non-blank and not empty, was " + names);
    }
    KeyPair serverKeys = newKeyPair();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          builder(subject, new X500Name("CN=" + names.get(0)), serverKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(serverKeys.getPublic()));
      X509Certificate issued = sign(b, keys);
      write(certificateFile, pem(issued));
      write(keyFile, pem(new JcaPKCS8Generator(serverKeys.getPrivate(), null)));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + names + ": " + e, e);
    }
  }

  /** Shows the CA's name. */
  @Override
  public String toString() {
    return "TestCertificateAuthority[" + name + "]";
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, PublicKey key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(BACKDATE)),
        Date.from(now.plus(VALIDITY)),
        subject,
        key);
  }

  private static GeneralNames alternativeNames(List<String> names) {
    GeneralName[] result = new GeneralName[names.size()];
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i).strip();
      result[i] =
          IP_LITERAL.matcher(n).matches() && isAddress(n)
              ? new GeneralName(GeneralName.iPAddress, n)
              : new GeneralName(GeneralName.dNSName, n);
    }
    return new GeneralNames(result);
  }

  private static boolean isAddress(String literal) {
    try {
      // Only literals reach here (digits and dots, or a colon), so no DNS lookup happens.
      InetAddress.getByName(literal);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      ContentSigner contentSigner =
          new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with " + SIGNATURE, e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an EC P-256 key: " + e, e);
    }
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot PEM-encode " + object.getClass().getSimpleName(), e);
    }
    return text.toString();
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}

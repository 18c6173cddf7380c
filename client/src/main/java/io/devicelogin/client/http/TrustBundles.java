package io.devicelogin.client.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust for servers whose certificates come from a private certificate authority. */
public final class TrustBundles {
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final Pattern PEM_CERTIFICATE =
      Pattern.compile(BEGIN + "(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);

  private TrustBundles() {}

  /**
   * A TLS context that trusts the JDK's certificate authorities and, in addition, every certificate
   * in a PEM bundle (one or more {@code -----BEGIN CERTIFICATE-----} blocks; text between them,
   * such as the comments of a distribution's bundle, and other PEM blocks are ignored). Host names
   * are still verified.
   *
   * @throws IllegalArgumentException naming the file if it cannot be read, holds no certificate or
   *     a malformed one
   */
  public static SSLContext withBundle(Path pemBundle) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager(pemBundle)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context from " + pemBundle, e);
    }
  }

  /** The trust manager {@link #withBundle} uses: the JDK's anchors plus the bundle's. */
  static X509TrustManager trustManager(Path pemBundle) {
    List<X509Certificate> bundle = read(pemBundle);
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate jdk : jdkTrustManager().getAcceptedIssuers()) {
        anchors.setCertificateEntry("jdk-" + n++, jdk);
      }
      for (X509Certificate certificate : bundle) {
        anchors.setCertificateEntry("bundle-" + n++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      return x509(factory.getTrustManagers());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store from " + pemBundle, e);
    }
  }

  /** The certificates of a PEM bundle, in order. */
  static List<X509Certificate> read(Path pemBundle) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(pemBundle);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the CA bundle " + pemBundle + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(
          "the CA bundle " + pemBundle + " cannot be read: permission denied", e);
    } catch (IOException e) {
      String why =
          Files.isDirectory(pemBundle) ? "it is a directory" : String.valueOf(e.getMessage());
      throw new IllegalArgumentException("cannot read the CA bundle " + pemBundle + ": " + why, e);
    }
    // ISO-8859-1 maps every byte to one char, so binary junk cannot break the decoding.
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    Matcher blocks = PEM_CERTIFICATE.matcher(text);
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
    while (blocks.find()) {
      int number = certificates.size() + 1;
      try {
        byte[] der = Base64.getMimeDecoder().decode(blocks.group(1));
        Certificate certificate = factory.generateCertificate(new ByteArrayInputStream(der));
        certificates.add((X509Certificate) certificate);
      } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
        throw new IllegalArgumentException(
            "the CA bundle " + pemBundle + " holds a malformed certificate (number " + number + ")",
            e);
      }
    }
    int begun = text.split(BEGIN, -1).length - 1;
    if (begun > certificates.size()) {
      // A block without its END line: a truncated file, which must not shrink trust silently.
      throw new IllegalArgumentException(
          "the CA bundle " + pemBundle + " holds a certificate without its END line (truncated?)");
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          "the CA bundle "
              + pemBundle
              + " holds no certificate (expected PEM blocks starting with -----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  private static X509TrustManager jdkTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return x509(factory.getTrustManagers());
  }

  private static X509TrustManager x509(TrustManager[] managers) throws GeneralSecurityException {
    for (TrustManager manager : managers) {
      if (manager instanceof X509TrustManager) {
        return (X509TrustManager) manager;
      }
    }
    throw new GeneralSecurityException("the JDK has no X.509 trust manager");
  }
}

package io.devicelogin.client.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust for servers whose certificates come from a private certificate authority. */
public final class TrustBundles {
  private TrustBundles() {}

  /**
   * A TLS context that trusts the JDK's certificate authorities and, in addition, every certificate
   * in a PEM bundle (one or more {@code -----BEGIN CERTIFICATE-----} blocks).
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no certificate
   */
  public static SSLContext withBundle(Path pemBundle) {
    Collection<? extends Certificate> bundle;
    try (InputStream in = Files.newInputStream(pemBundle)) {
      bundle = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CA bundle " + pemBundle + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the CA bundle " + pemBundle + " is not PEM certificates", e);
    }
    if (bundle.isEmpty()) {
      throw new IllegalArgumentException("the CA bundle " + pemBundle + " holds no certificate");
    }
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate jdk : jdkTrustManager().getAcceptedIssuers()) {
        anchors.setCertificateEntry("jdk-" + n++, jdk);
      }
      for (Certificate certificate : bundle) {
        anchors.setCertificateEntry("bundle-" + n++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context from " + pemBundle, e);
    }
  }

  private static X509TrustManager jdkTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (var manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager) {
        return (X509TrustManager) manager;
      }
    }
    throw new GeneralSecurityException("the JDK has no X.509 trust manager");
  }
}

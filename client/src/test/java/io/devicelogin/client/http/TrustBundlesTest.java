package io.devicelogin.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link TrustBundles} reads from a CA bundle, and what it trusts afterwards. */
class TrustBundlesTest {
  private static TestPki pki;
  private static TestPki other;

  @TempDir Path dir;

  @BeforeAll
  static void makeCertificates() {
    pki = TestPki.create("bundle");
    other = TestPki.create("second");
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static List<X509Certificate> jdkAnchors() throws Exception {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    X509TrustManager jdk = (X509TrustManager) factory.getTrustManagers()[0];
    return Arrays.asList(jdk.getAcceptedIssuers());
  }

  @Test
  void theBundleIsTrustedAndTheJdkCertificateAuthoritiesStillAre() throws Exception {
    Path bundle = pki.writeCaPem(dir.resolve("ca.pem"));

    X509TrustManager trust = TrustBundles.trustManager(bundle);

    List<X509Certificate> jdk = jdkAnchors();
    assertThat(jdk).as("the JDK's cacerts").isNotEmpty();
    assertThat(trust.getAcceptedIssuers()).contains(pki.ca).containsAll(jdk);
    assertThat(trust.getAcceptedIssuers()).hasSize(jdk.size() + 1);
    // And a chain from the bundle's CA passes the same check a TLS handshake makes.
    assertThatCode(
            () ->
                trust.checkServerTrusted(new X509Certificate[] {pki.server, pki.ca}, "ECDHE_ECDSA"))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> trust.checkServerTrusted(new X509Certificate[] {pki.server}, "ECDHE_ECDSA"))
        .doesNotThrowAnyException();
  }

  @Test
  void aChainFromACaOutsideTheBundleIsNotTrusted() throws Exception {
    X509TrustManager trust = TrustBundles.trustManager(pki.writeCaPem(dir.resolve("ca.pem")));

    assertThatThrownBy(
            () ->
                trust.checkServerTrusted(
                    new X509Certificate[] {other.server, other.ca}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void withBundleGivesATlsContext() throws Exception {
    SSLContext context = TrustBundles.withBundle(pki.writeCaPem(dir.resolve("ca.pem")));

    assertThat(context.getProtocol()).isEqualTo("TLS");
    assertThat(context.createSSLEngine().getSSLParameters().getProtocols()).isNotEmpty();
  }

  @Test
  void everyCertificateOfABundleCountsAndTheTextAroundThemIsIgnored() throws Exception {
    // As in a distribution's bundle: comments, CRLF line ends, other PEM blocks between
    // certificates.
    String bundle =
        "# Private CA of the bundle test\r\n"
            + "subject=CN=whatever\n"
            + TestPki.pem(pki.ca).replace("\n", "\r\n")
            + "\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n"
            + "\n# Second CA\n"
            + TestPki.pem(other.ca)
            + "\n";
    Path path = file("bundle.pem", "\uFEFF" + bundle);

    assertThat(TrustBundles.read(path)).containsExactly(pki.ca, other.ca);
    X509TrustManager trust = TrustBundles.trustManager(path);
    assertThat(trust.getAcceptedIssuers()).contains(pki.ca, other.ca);
    assertThatCode(
            () -> trust.checkServerTrusted(new X509Certificate[] {other.server}, "ECDHE_ECDSA"))
        .doesNotThrowAnyException();
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> TrustBundles.withBundle(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the CA bundle " + missing + " does not exist");
  }

  @Test
  void aDirectoryIsNamed() {
    assertThatThrownBy(() -> TrustBundles.withBundle(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("directory");
  }

  @Test
  void anEmptyFileHoldsNoCertificate() throws IOException {
    Path empty = file("empty.pem", "");

    assertThatThrownBy(() -> TrustBundles.withBundle(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the CA bundle " + empty + " holds no certificate");
  }

  @Test
  void aFileOfOtherThingsHoldsNoCertificate() throws IOException {
    Path key =
        file(
            "key.pem",
            "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n");
    Path text = file("notes.txt", "not a certificate at all\n");

    for (Path path : List.of(key, text)) {
      assertThatThrownBy(() -> TrustBundles.withBundle(path))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the CA bundle " + path + " holds no certificate");
    }
  }

  @Test
  void aDerFileIsNotMistakenForPem() throws Exception {
    Path der = dir.resolve("ca.der");
    Files.write(der, pki.ca.getEncoded());

    assertThatThrownBy(() -> TrustBundles.withBundle(der))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(der.toString())
        .hasMessageContaining("BEGIN CERTIFICATE");
  }

  @Test
  void aCorruptCertificateIsNamedByItsPlaceInTheFile() throws IOException {
    String good = TestPki.pem(pki.ca);
    String corrupt =
        "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHHIG...notbase64!!\n-----END CERTIFICATE-----\n";
    Path path = file("corrupt.pem", good + corrupt);

    assertThatThrownBy(() -> TrustBundles.withBundle(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(path.toString())
        .hasMessageContaining("malformed certificate (number 2)");
  }

  @Test
  void aTruncatedBundleIsRefusedRatherThanTrustingLessSilently() throws IOException {
    String second = TestPki.pem(other.ca);
    Path path =
        file("truncated.pem", TestPki.pem(pki.ca) + second.substring(0, second.length() / 2));

    assertThatThrownBy(() -> TrustBundles.withBundle(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(path.toString())
        .hasMessageContaining("without its END line");
  }
}

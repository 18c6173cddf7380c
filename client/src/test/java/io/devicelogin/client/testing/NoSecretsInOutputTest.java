package io.devicelogin.client.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** The guard that the other tests rely on fails when it should. */
class NoSecretsInOutputTest {
  private final NoSecretsInOutput guard = new NoSecretsInOutput();
  private final ExtensionContext context = FakeContext.create("leaky test");

  @Test
  void aSecretInADebugLogLineFailsTheTest() {
    String secret = IssuedSecrets.fresh("leak-");
    guard.beforeEach(context);
    LoggerFactory.getLogger("io.devicelogin.somewhere").debug("token is {}", secret);

    assertThatThrownBy(() -> guard.afterEach(context))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("leaky test")
        .hasMessageNotContaining(secret);
  }

  @Test
  void aSecretInATraceLineOfAThirdPartyLoggerFailsTheTest() {
    String secret = IssuedSecrets.fresh("leak-");
    guard.beforeEach(context);
    LoggerFactory.getLogger("org.example.http").trace("body: access_token=" + secret);

    assertThatThrownBy(() -> guard.afterEach(context)).isInstanceOf(AssertionError.class);
  }

  @Test
  void aSecretPrintedToStandardErrorFailsTheTest() {
    String secret = IssuedSecrets.fresh("leak-");
    guard.beforeEach(context);
    System.err.println("oops " + secret);

    assertThatThrownBy(() -> guard.afterEach(context)).isInstanceOf(AssertionError.class);
  }

  @Test
  void aSecretInAnExceptionMessageLoggedFailsTheTest() {
    String secret = IssuedSecrets.fresh("leak-");
    guard.beforeEach(context);
    LoggerFactory.getLogger("io.devicelogin.x")
        .warn("failed", new IllegalStateException("bad " + secret));

    assertThatThrownBy(() -> guard.afterEach(context)).isInstanceOf(AssertionError.class);
  }

  @Test
  void aPieceOfASecretInADebugLineFailsTheTest() {
    String secret = IssuedSecrets.fresh("leak-");
    guard.beforeEach(context);
    // As Jetty's DEBUG dumps of a buffer show it: the start of a form body, cut.
    LoggerFactory.getLogger("org.example.io")
        .debug("buffer {<<<refresh_token=" + secret.substring(0, 20) + ">>>}");

    assertThatThrownBy(() -> guard.afterEach(context))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("piece of")
        .hasMessageNotContaining(secret.substring(0, 20));
  }

  @Test
  void cleanOutputPasses() {
    IssuedSecrets.fresh("leak-");
    guard.beforeEach(context);
    LoggerFactory.getLogger("io.devicelogin.x").debug("nothing secret here");
    System.out.println("hello");

    guard.afterEach(context);
    assertThat(System.out).isNotNull();
  }
}

package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import java.net.URI;

/**
 * A person at a browser, over real HTTP: enters a user code on /device, signs in, and approves or
 * denies on the consent page. For tests outside this package (the command's process tests).
 */
public final class Person {
  private final Browser browser;
  private final String username;
  private final Secret password;

  private Person(Browser browser, String username, Secret password) {
    this.browser = browser;
    this.username = username;
    this.password = password;
  }

  private Person(TestServer server, String username, Secret password) {
    this(new Browser(server), username, password);
  }

  /** A person using a server this JVM did not start (another process), at {@code base}. */
  public static Person at(URI base, String username, Secret password) {
    return new Person(new Browser(base), username, password);
  }

  /** The demo user of {@code server}. */
  public static Person demo(TestServer server) {
    return new Person(server, "demo", Secret.of(server.demoPassword));
  }

  public static Person of(TestServer server, String username, Secret password) {
    return new Person(server, username, password);
  }

  /** Types the code as shown (any case, spaces or dash), signs in and approves. */
  public void approve(String userCode) {
    decide(userCode, "approve");
  }

  /** Types the code, signs in and denies. */
  public void deny(String userCode) {
    decide(userCode, "deny");
  }

  private void decide(String userCode, String decision) {
    Page consent = Flows.toConsent(browser, userCode, username, password);
    Page result = Flows.decide(browser, consent, decision);
    assertThat(result.status() / 100).as(result.text()).isIn(2, 3);
  }
}

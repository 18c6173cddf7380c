package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each page renders, with its stylesheet, and errors are pages rather than stack traces. */
@ExtendWith(NoSecretsInOutput.class)
class PagesRenderTest {
  @AutoClose private final TestServer server = TestServer.start();

  @Test
  void theCodePageRendersWithAFormAndTheStylesheet() {
    Page page = new Browser(server).get("/device");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.text()).contains("Enter the code from your terminal").contains("Sign in");
    assertThat(page.body())
        .contains("<form method=\"post\" action=\"/device\"")
        .contains("name=\"csrf\"")
        .contains("name=\"viewport\"")
        .containsPattern("<link rel=\"stylesheet\" href=\"/static/style.css\\?v=\\w+\">");
  }

  @Test
  void theStylesheetIsServed() {
    Browser browser = new Browser(server);
    String href =
        browser
            .get("/device")
            .body()
            .replaceAll("(?s).*href=\"(/static/style.css[^\"]*)\".*", "$1");
    Page css = browser.get(href);
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    assertThat(css.body()).contains("font-family: system-ui");
  }

  @Test
  void theSignInPageRenders() {
    Page page = new Browser(server).get("/login");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body())
        .contains("name=\"username\"")
        .contains("type=\"password\"")
        .contains("autocomplete=\"current-password\"");
  }

  @Test
  void theAccountAndAdminPagesRenderForTheAdmin() {
    Browser browser = new Browser(server);
    browser.signInAsDemo();
    assertThat(browser.shown("/account").text())
        .contains("Your CLI sessions", "Signed in as demo", "Sign out", "No CLI sessions yet");
    assertThat(browser.shown("/admin").text()).contains("Audit trail").contains("SIGNED_IN");
  }

  @Test
  void theRootLeadsToTheCodePage() {
    Page root = new Browser(server).get("/");
    assertThat(root.status()).isEqualTo(303);
    assertThat(root.location()).hasValue("/device");
  }

  @Test
  void anUnknownPageIsAReadable404() {
    Page page = new Browser(server).get("/no/such/page");
    assertThat(page.status()).isEqualTo(404);
    assertThat(page.text()).contains("Page not found");
    assertThat(page.body()).startsWith("<!DOCTYPE html>");
  }

  @Test
  void aMissingOrMalformedRequestIsAPageNotAStackTrace() {
    Browser browser = new Browser(server);
    browser.signInAsDemo();
    for (String path :
        new String[] {
          "/device/consent",
          "/device/consent?request=x'--",
          "/device/consent?request=" + "0".repeat(400)
        }) {
      Page page = browser.get(path);
      assertThat(page.status()).as(path).isEqualTo(403);
      assertThat(page.body())
          .startsWith("<!DOCTYPE html>")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
  }
}

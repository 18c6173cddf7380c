package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.server.web.Browser.Page;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The steps a person takes on the pages, shared by the tests. */
final class Flows {
  private static final Pattern REQUEST = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");
  private static final Pattern NEXT = Pattern.compile("name=\"next\" value=\"([^\"]*)\"");

  private Flows() {}

  /** Loads /device and submits {@code typed}. */
  static Page enterCode(Browser browser, String typed) {
    return browser.submit("/device", "/device", Map.of("user_code", typed));
  }

  /** Enters the code, signs in when asked, and returns the consent page. */
  static Page toConsent(Browser browser, String typed, String username, Secret password) {
    Page entered = enterCode(browser, typed);
    assertThat(entered.status()).as(entered.text()).isEqualTo(303);
    assertThat(entered.location())
        .hasValueSatisfying(l -> assertThat(l).startsWith("/device/consent?request="));
    Page next = browser.follow(entered);
    if (next.status() == 303 && next.location().orElseThrow().startsWith("/login")) {
      Page signedIn = signInAt(browser, next, username, password);
      assertThat(signedIn.status()).as(signedIn.text()).isEqualTo(303);
      next = browser.follow(signedIn);
    }
    assertThat(next.status()).as(next.text()).isEqualTo(200);
    return next;
  }

  /** Follows a redirect to the sign-in page and signs in there. */
  static Page signInAt(Browser browser, Page redirectToLogin, String username, Secret password) {
    Page form = browser.follow(redirectToLogin);
    Matcher next = NEXT.matcher(form.body());
    assertThat(next.find()).isTrue();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("csrf", form.csrf());
    fields.put("next", next.group(1).replace("&amp;", "&"));
    fields.put("username", username);
    fields.put("password", password.revealForTransmission());
    return browser.post("/login", fields);
  }

  /** The authorization id the consent page's form names. */
  static String requestId(Page consent) {
    Matcher m = REQUEST.matcher(consent.body());
    assertThat(m.find()).as("a consent form").isTrue();
    return m.group(1);
  }

  /** Presses Approve or Deny on the consent page. */
  static Page decide(Browser browser, Page consent, String decision) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", consent.csrf());
    form.put("request", requestId(consent));
    form.put("decision", decision);
    return browser.post("/device/consent", form);
  }
}

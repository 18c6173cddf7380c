package io.devicelogin.e2e.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.DeviceAuthorization;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person with a browser that runs no script: real HTTP with cookies, each redirect checked and
 * followed by hand, forms read from Spring's HTML and submitted as a browser would.
 */
final class SpringPerson {
  private static final Pattern INPUT =
      Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
  private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:-]+)\\s*=\\s*\"([^\"]*)\"");

  private final String username;
  private final String password;
  private final HttpClient browser =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  SpringPerson(String username, String password) {
    this.username = username;
    this.password = password;
  }

  /** Spring's answer to the consent form. */
  record Answer(int status, URI location) {}

  Answer approve(DeviceAuthorization authorization) throws IOException, InterruptedException {
    return consent(authorization, true);
  }

  /** Approves a code a terminal showed, asking for {@code requestedScope}. */
  Answer approve(URI verificationUri, String userCode, Collection<String> requestedScope)
      throws IOException, InterruptedException {
    return consent(verificationUri, userCode, requestedScope, true);
  }

  /** Presses "Cancel", which in Spring's page resets the form and submits it without scopes. */
  Answer cancelConsent(DeviceAuthorization authorization) throws IOException, InterruptedException {
    return consent(authorization, false);
  }

  private Answer consent(DeviceAuthorization authorization, boolean approve)
      throws IOException, InterruptedException {
    return consent(
        authorization.verificationUri(),
        authorization.userCode(),
        authorization.requestedScope().asSet(),
        approve);
  }

  private Answer consent(
      URI verificationUri, String userCode, Collection<String> requestedScope, boolean approve)
      throws IOException, InterruptedException {
    // The person types the code shown in the terminal at the verification URI; Spring has no page
    // to type it into, so the code arrives as the `user_code` query parameter, as a GET form would
    // send it.
    URI verification =
        URI.create(
            verificationUri + "?user_code=" + URLEncoder.encode(userCode, StandardCharsets.UTF_8));
    HttpResponse<String> response = get(verification);
    assertThat(response.statusCode()).as("verification page, not signed in").isEqualTo(302);
    URI loginPage = location(response);
    assertThat(loginPage.getPath()).isEqualTo("/login");

    response = get(loginPage);
    assertThat(response.statusCode()).as("login page").isEqualTo(200);
    Map<String, String> loginForm = hiddenInputs(response.body());
    assertThat(loginForm).containsKey("_csrf");
    loginForm.put("username", username);
    loginForm.put("password", password);
    response = post(loginPage.resolve(formAction(response.body())), loginForm.entrySet());
    assertThat(response.statusCode()).as("login").isEqualTo(302);
    URI back = location(response);
    assertThat(back.getPath())
        .as("back to where the person was going")
        .isEqualTo(verification.getPath());

    response = get(back);
    assertThat(response.statusCode()).as("consent page").isEqualTo(200);
    String page = response.body();
    assertThat(page).contains("Consent required").contains(userCode);
    Map<String, String> hidden = hiddenInputs(page);
    assertThat(hidden).containsKeys("client_id", "state", "user_code");
    List<String> offered = scopeCheckboxes(page);
    assertThat(offered).containsExactlyInAnyOrderElementsOf(requestedScope);

    List<Map.Entry<String, String>> form = new ArrayList<>(hidden.entrySet());
    if (approve) {
      offered.forEach(scope -> form.add(Map.entry("scope", scope)));
    }
    response = post(back.resolve(formAction(page)), form);
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Location").map(URI::create).orElse(null));
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return browser.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "text/html")
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI uri, Iterable<Map.Entry<String, String>> form)
      throws IOException, InterruptedException {
    return browser.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "text/html")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI location(HttpResponse<?> response) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new AssertionError("no Location"));
    return response.uri().resolve(location);
  }

  private static String formAction(String html) {
    Matcher form = FORM.matcher(html);
    if (!form.find()) {
      throw new AssertionError("no form on the page");
    }
    return unescape(attributes(form.group(1)).get("action"));
  }

  private static Map<String, String> hiddenInputs(String html) {
    Map<String, String> result = new LinkedHashMap<>();
    Matcher input = INPUT.matcher(html);
    while (input.find()) {
      Map<String, String> a = attributes(input.group(1));
      if ("hidden".equalsIgnoreCase(a.get("type")) && a.containsKey("name")) {
        result.put(a.get("name"), unescape(a.getOrDefault("value", "")));
      }
    }
    return result;
  }

  /** The scope checkboxes the person may tick (already granted ones are disabled). */
  private static List<String> scopeCheckboxes(String html) {
    List<String> result = new ArrayList<>();
    Matcher input = INPUT.matcher(html);
    while (input.find()) {
      String raw = input.group(1);
      Map<String, String> a = attributes(raw);
      if ("checkbox".equalsIgnoreCase(a.get("type"))
          && "scope".equals(a.get("name"))
          && !raw.contains("disabled")
          && a.containsKey("value")) {
        result.add(unescape(a.get("value")));
      }
    }
    return result;
  }

  private static Map<String, String> attributes(String tag) {
    Map<String, String> result = new LinkedHashMap<>();
    Matcher attribute = ATTRIBUTE.matcher(tag);
    while (attribute.find()) {
      result.put(attribute.group(1).toLowerCase(Locale.ROOT), attribute.group(2));
    }
    return result;
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  /** A form body, {@code application/x-www-form-urlencoded}. */
  static String encode(Iterable<Map.Entry<String, String>> parameters) {
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, String> p : parameters) {
      pairs.add(
          URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)
              + "="
              + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    return String.join("&", pairs);
  }
}

package io.devicelogin.bench.scenario;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person approving user codes through the server's own pages, as a browser would: the code on
 * {@code /device}, the sign-in once, then Approve on the consent page. The load scenarios that need
 * approved codes (token issuance, refresh, introspection) get them this way, with no back door into
 * the database.
 */
public final class PageApprover {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern REQUEST = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");
  private static final Pattern NEXT = Pattern.compile("name=\"next\" value=\"([^\"]*)\"");

  private final URI base;
  private final String username;
  private final String password;
  private final HttpClient http;
  private String csrf;

  public PageApprover(URI base, String username, String password) {
    this.base = base;
    this.username = username;
    this.password = password;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /**
   * Enters {@code userCode}, signs in if asked, and approves.
   *
   * @throws IllegalStateException when a page answers otherwise than a browser expects
   */
  public void approve(String userCode) {
    if (csrf == null) {
      expect(get("/device"), 200);
    }
    HttpResponse<String> entered = post("/device", Map.of("user_code", userCode));
    String consentPath = location(expect(entered, 303));
    HttpResponse<String> consent = get(consentPath);
    if (consent.statusCode() == 303 && location(consent).startsWith("/login")) {
      HttpResponse<String> signIn = expect(get(location(consent)), 200);
      Matcher next = NEXT.matcher(signIn.body());
      if (!next.find()) {
        throw new IllegalStateException("the sign-in page has no 'next' field");
      }
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("next", next.group(1).replace("&amp;", "&"));
      fields.put("username", username);
      fields.put("password", password);
      HttpResponse<String> signedIn = expect(post("/login", fields), 303);
      consent = get(location(signedIn));
    }
    expect(consent, 200);
    Matcher request = REQUEST.matcher(consent.body());
    if (!request.find()) {
      throw new IllegalStateException("no consent form for " + userCode + ": " + consent.body());
    }
    Map<String, String> decision = new LinkedHashMap<>();
    decision.put("request", request.group(1));
    decision.put("decision", "approve");
    HttpResponse<String> decided = post("/device/consent", decision);
    if (decided.statusCode() / 100 != 2 && decided.statusCode() / 100 != 3) {
      throw new IllegalStateException(
          "approval of " + userCode + " answered " + decided.statusCode());
    }
  }

  /**
   * Forgets the form token, so that the next approval loads {@code /device} first: after a failure
   * the token held may belong to a session the server no longer has. The cookies stay.
   */
  public void reset() {
    csrf = null;
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
  }

  private HttpResponse<String> post(String path, Map<String, String> fields) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("csrf", csrf);
    all.putAll(fields);
    String body =
        all.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      Matcher m = CSRF.matcher(response.body());
      if (m.find()) {
        csrf = m.group(1);
      }
      return response;
    } catch (IOException e) {
      throw new IllegalStateException(request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      String body = response.body();
      throw new IllegalStateException(
          response.request().uri()
              + " answered "
              + response.statusCode()
              + ", not "
              + status
              + ": "
              + (body.length() > 300 ? body.substring(0, 300) : body));
    }
    return response;
  }

  private static String location(HttpResponse<String> response) {
    return response
        .headers()
        .firstValue("Location")
        .orElseThrow(() -> new IllegalStateException("a redirect without Location"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

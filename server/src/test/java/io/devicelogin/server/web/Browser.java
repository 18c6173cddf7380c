package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person's browser, over real HTTP: its own cookie jar, no automatic redirects (a test follows
 * them with {@link #follow}), a user agent, and optionally an {@code X-Forwarded-For} that a
 * trusted proxy would add. Every session cookie and CSRF token it sees is registered with {@link
 * IssuedSecrets}, so that a test fails if the server ever logs one.
 */
final class Browser {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  final TestServer server;
  private final Function<String, URI> resolve;
  final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http;
  String userAgent = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0";
  String forwardedFor;
  private String lastCsrf;

  Browser(TestServer server) {
    this(server, server::uri);
  }

  /**
   * A browser for a server this JVM did not start, at {@code base} (for example {@code
   * http://127.0.0.1:PORT}).
   */
  Browser(URI base) {
    this(null, path -> URI.create(base.toString().replaceAll("/$", "") + path));
  }

  private Browser(TestServer server, Function<String, URI> resolve) {
    this.server = server;
    this.resolve = resolve;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  Browser from(String ip) {
    this.forwardedFor = ip;
    return this;
  }

  /** A response as the test sees it. */
  record Page(int status, HttpHeaders headers, String body) {
    Optional<String> location() {
      return headers.firstValue("Location");
    }

    /** The page's CSRF token (registered as a secret). */
    String csrf() {
      Matcher m = CSRF.matcher(body);
      if (!m.find()) {
        throw new AssertionError("no CSRF token on the page (status " + status + ")");
      }
      return IssuedSecrets.register(m.group(1));
    }

    /** The text a person reads: tags removed, entities decoded, white space collapsed. */
    String text() {
      String t = body.replaceAll("(?s)<head>.*?</head>", " ").replaceAll("<[^>]+>", " ");
      t =
          t.replace("&lt;", "<")
              .replace("&gt;", ">")
              .replace("&#34;", "\"")
              .replace("&quot;", "\"")
              .replace("&#39;", "'")
              .replace("&amp;", "&");
      return t.replaceAll("\\s+", " ").trim();
    }
  }

  Page get(String path) {
    return send(request(path).GET().build());
  }

  /**
   * Loads a page and submits its form with these fields and the session's CSRF token: the page's,
   * or, when the page has no form (a lock-out page), the last one this browser saw, as a form left
   * open in another tab would carry.
   */
  Page submit(String pagePath, String action, Map<String, String> fields) {
    get(pagePath);
    if (lastCsrf == null) {
      throw new AssertionError("no CSRF token seen yet");
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", lastCsrf);
    form.putAll(fields);
    return post(action, form);
  }

  Page post(String path, Map<String, String> form) {
    return send(
        request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(OAuthCalls.form(form)))
            .build());
  }

  /**
   * POSTs exactly {@code body} with this Content-Type (none when null), with the session's cookie.
   */
  Page post(String path, String contentType, byte[] body) {
    HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b.build());
  }

  /** Sends a bodiless request with any method. */
  Page send(String method, String path) {
    return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
  }

  /** GETs where a redirect points. */
  Page follow(Page redirect) {
    if (redirect.status() / 100 != 3) {
      throw new AssertionError("not a redirect but " + redirect.status() + ": " + redirect.text());
    }
    return get(redirect.location().orElseThrow());
  }

  /** GETs a page that must be shown: 200, not a redirect or a refusal. */
  Page shown(String path) {
    Page page = get(path);
    assertThat(page.status()).as("%s: %s", path, page.text()).isEqualTo(200);
    return page;
  }

  /** Signs in as the demo user, an administrator. */
  Page signInAsDemo() {
    return signIn("demo", Secret.of(server.demoPassword));
  }

  /** Signs in on the sign-in page; returns the redirect that follows a success. */
  Page signIn(String username, Secret password) {
    return signIn(username, password, null);
  }

  Page signIn(String username, Secret password, String next) {
    Page form =
        get(
            next == null
                ? "/login"
                : "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("csrf", form.csrf());
    fields.put("next", next == null ? "" : next);
    fields.put("username", username);
    fields.put("password", password.revealForTransmission());
    return post("/login", fields);
  }

  /** The current value of the session cookie (registered as a secret), if any. */
  Optional<String> sessionCookie() {
    List<HttpCookie> all = cookies.getCookieStore().getCookies();
    return all.stream()
        .filter(
            c ->
                c.getName().equals(SessionCookies.COOKIE)
                    || c.getName().equals(SessionCookies.HOST_ONLY_COOKIE))
        .map(HttpCookie::getValue)
        .findFirst()
        .map(IssuedSecrets::register);
  }

  private HttpRequest.Builder request(String path) {
    URI uri = path.startsWith("http") ? URI.create(path) : resolve.apply(path);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
            .header("User-Agent", userAgent);
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    return b;
  }

  private Page send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      for (String cookie : response.headers().allValues("Set-Cookie")) {
        int eq = cookie.indexOf('=');
        int end = cookie.indexOf(';');
        String value = cookie.substring(eq + 1, end < 0 ? cookie.length() : end);
        if (!value.isEmpty()) {
          IssuedSecrets.register(value);
        }
      }
      Matcher csrf = CSRF.matcher(response.body());
      if (csrf.find()) {
        lastCsrf = IssuedSecrets.register(csrf.group(1));
      }
      return new Page(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

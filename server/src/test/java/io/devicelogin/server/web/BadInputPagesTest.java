package io.devicelogin.server.web;

import static io.devicelogin.server.testing.BadInput.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.testing.BadInput;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.RawHttp;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad form posts to every page that takes one (code entry, sign-in, consent, sign-out, account and
 * admin revocation) and wrong methods on the pages and the server's other routes, over HTTP, one
 * table row each. A row names the rule it proves and the page it must get: its status and the
 * heading a person reads. Every row also proves that the answer is not a 5xx, that no table of the
 * store changed except for the audit rows it names, and that no log line of ours holds a control
 * character or an error.
 *
 * <p>The audit rows a row may add are the failures the server records on purpose: a wrong user code
 * and a failed sign-in are counted from the audit trail by the attempt limits, so a malformed one
 * must be counted like any other. Each row starts 16 minutes after the previous one, past those
 * limits' windows, with a browser, a session and codes of its own.
 *
 * <p>Missing and wrong CSRF tokens are {@link SessionSecurityTest}'s; a consent for a request
 * entered in another browser is {@link VerificationFlowTest}'s; another person's grant is {@link
 * AccountPageTest}'s and a non-administrator at the admin page {@link AdminPageTest}'s.
 */
// Each test starts past the attempt limits' windows.
@ServerOnEachBackend(minutesBeforeEachTest = 16)
class BadInputPagesTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String BOUNDARY = "bad-input-boundary";
  private static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;

  @ServerUnderTest private static TestServer server;

  /** What a row's request may use: made for that row alone, before the store is read. */
  static final class Given {
    /** This row's browser, and the CSRF token of the page it loaded last. */
    final Browser browser = new Browser(server);

    String csrf;

    /**
     * A fresh browser on the code page, whose session is stored: it has posted the form once, empty
     * (the first post of a browser stores its session, which is not what the rows are about).
     */
    Given onTheCodePage() {
      csrf = browser.get("/device").csrf();
      assertThat(browser.post("/device", Map.of("csrf", csrf)).status()).isEqualTo(400);
      return this;
    }

    /** Signed in as the demo user (an administrator), on the account page. */
    Given signedInAsDemo() {
      return signedInAs("demo", Secret.of(server.demoPassword));
    }

    private Given signedInAs(String username, Secret password) {
      assertThat(browser.signIn(username, password).status()).isEqualTo(303);
      csrf = browser.get("/account").csrf();
      return this;
    }

    /** Signed in as the demo user, with a live code entered: the consent page's request id. */
    String onTheConsentPage() {
      String userCode = server.oauth().deviceCode().userCode();
      Page consent = Flows.toConsent(browser, userCode, "demo", Secret.of(server.demoPassword));
      csrf = consent.csrf();
      return Flows.requestId(consent);
    }

    /** A live code entered in this browser, but nobody signed in: the request id. */
    String enteredButSignedOut() {
      onTheCodePage();
      String userCode = server.oauth().deviceCode().userCode();
      Page entered = browser.post("/device", Map.of("csrf", csrf, "user_code", userCode));
      assertThat(entered.status()).isEqualTo(303);
      return entered.location().orElseThrow().replaceAll(".*request=", "");
    }

    /** An active grant of the demo user's. */
    String demoGrant() {
      server.oauth().signIn();
      return server.context().tokens().grantsOf(server.demoUser().id()).stream()
          .filter(Grant::active)
          .findFirst()
          .orElseThrow()
          .id();
    }

    /** Sends a bodiless request with {@code method} from this browser. */
    Supplier<Answer> send(String method, String path) {
      return () -> Answer.of(browser.send(method, path));
    }

    /** Posts {@code body} as a form to {@code path}. */
    Supplier<Answer> form(String path, String body) {
      return post(path, FORM, body);
    }

    /** Posts {@code body} to {@code path} with this Content-Type (none when null). */
    Supplier<Answer> post(String path, String contentType, String body) {
      return () ->
          Answer.of(browser.post(path, contentType, body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The CSRF token and the fields as {@code multipart/form-data}, boundary {@value #BOUNDARY}.
     */
    String multipart(String... namesAndValues) {
      StringBuilder body = new StringBuilder();
      List<String> all = new ArrayList<>(List.of("csrf", csrf));
      all.addAll(List.of(namesAndValues));
      for (int i = 0; i < all.size(); i += 2) {
        body.append("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"")
            .append(all.get(i))
            .append("\"\r\n\r\n")
            .append(all.get(i + 1))
            .append("\r\n");
      }
      return body.append("--" + BOUNDARY + "--\r\n").toString();
    }

    /** The CSRF token and then these names and values, form-encoded. */
    String withCsrf(String... namesAndValues) {
      return "csrf="
          + csrf
          + (namesAndValues.length == 0 ? "" : "&" + OAuthCalls.form(namesAndValues));
    }
  }

  /** What came back, whichever way it was sent. */
  record Answer(int status, HttpHeaders headers, String text) {
    static Answer of(Page page) {
      return new Answer(page.status(), page.headers(), page.text());
    }
  }

  /** A page with this status whose text a person reads says {@code heading}. */
  private static Consumer<Answer> page(int status, String heading) {
    return a -> {
      assertThat(a.status()).as(a.text()).isEqualTo(status);
      assertThat(a.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(a.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(a.text()).contains(heading);
    };
  }

  /** A form body that never ends, to {@code path}: chunked, or declared as 4 GiB. */
  private static Supplier<Answer> endless(String path, boolean chunked) {
    return endless(path, FORM, chunked, "user_code=BCDF-GHJK&".repeat(500));
  }

  private static Supplier<Answer> endless(
      String path, String contentType, boolean chunked, String unitText) {
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nContent-Type: "
            + contentType
            + "\r\n"
            + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + (4L << 30))
            + "\r\n\r\n";
    byte[] unit = unitText.getBytes(StandardCharsets.US_ASCII);
    return () -> {
      RawHttp.Answer raw = RawHttp.flood(server.server.port(), head, unit, chunked);
      Map<String, List<String>> headers = raw.headers();
      return new Answer(
          raw.status(),
          HttpHeaders.of(headers, (a, b) -> true),
          raw.body().replaceAll("<[^>]+>", " ").replaceAll("\\s+", " "));
    };
  }

  static Stream<BadInput<Given, Answer>> rows() {
    List<BadInput<Given, Answer>> rows = new ArrayList<>();
    String tooMany = "x".repeat(70 * 1024);

    // Code entry (POST /device).
    rows.add(
        row(
            "code entry: no user_code asks for the code again, and records nothing",
            g -> g.onTheCodePage().form("/device", g.withCsrf()),
            page(400, "Please enter the code")));
    rows.add(
        row(
            "code entry: a malformed escape in user_code asks for the code again, and records nothing",
            g -> g.onTheCodePage().form("/device", g.withCsrf() + "&user_code=%zz"),
            page(400, "Please enter the code")));
    rows.add(
        row(
            "code entry: bytes that are not UTF-8 are a wrong code, counted like one",
            g -> g.onTheCodePage().form("/device", g.withCsrf() + "&user_code=BCDF%C3%28GHJK"),
            page(400, "That code isn't valid"),
            AuditEvent.Type.USER_CODE_WRONG));
    rows.add(
        row(
            "code entry: a user_code of 60 KiB is a wrong code, counted like one",
            g -> g.onTheCodePage().form("/device", g.withCsrf("user_code", "B".repeat(60 * 1024))),
            page(400, "That code isn't valid"),
            AuditEvent.Type.USER_CODE_WRONG));
    rows.add(
        row(
            "code entry: control characters in user_code are a wrong code, counted like one",
            g ->
                g.onTheCodePage()
                    .form("/device", g.withCsrf("user_code", "BCDF\r\nGH\u0000JK\u001b[2J")),
            page(400, "That code isn't valid"),
            AuditEvent.Type.USER_CODE_WRONG));
    rows.add(
        row(
            "code entry: a body over 64 KiB is 413",
            g -> g.onTheCodePage().form("/device", g.withCsrf("user_code", tooMany)),
            page(413, "The request can't be handled")));
    rows.add(
        row(
            "code entry: an endless chunked body is 413, before it ends",
            g -> endless("/device", true),
            page(413, "The request can't be handled")));
    rows.add(
        row(
            "code entry: a body declared as 4 GiB is 413, before it is sent",
            g -> endless("/device", false),
            page(413, "The request can't be handled")));

    // Only a UTF-8 form is read: any other body is refused before a byte of it is parsed. Multipart
    // in particular would be spooled to disk without limit, and an unknown charset would throw.
    Consumer<Answer> notAForm =
        page(415, "This form can't be accepted")
            .andThen(a -> assertThat(a.text()).contains("in a way this page does not accept"));
    rows.add(
        row(
            "code entry: multipart/form-data, even with the right CSRF token, is 415 and never parsed",
            g ->
                g.onTheCodePage().post("/device", MULTIPART, g.multipart("user_code", "BCDF-GHJK")),
            notAForm));
    rows.add(
        row(
            "code entry: an endless multipart body is 415, before it ends",
            g ->
                endless(
                    "/device",
                    MULTIPART,
                    true,
                    "--"
                        + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"f\";"
                        + " filename=\"f\"\r\n\r\n"
                        + "B".repeat(8192)),
            notAForm));
    rows.add(
        row(
            "code entry: a multipart body declared as 4 GiB is 415, before it is sent",
            g -> endless("/device", MULTIPART, false, "B".repeat(8192)),
            notAForm));
    rows.add(
        row(
            "code entry: JSON is 415",
            g ->
                g.onTheCodePage()
                    .post("/device", "application/json", "{\"csrf\":\"" + g.csrf + "\"}"),
            notAForm));
    rows.add(
        row(
            "code entry: a form in ISO-8859-1 is 415",
            g ->
                g.onTheCodePage()
                    .post(
                        "/device",
                        FORM + "; charset=ISO-8859-1",
                        g.withCsrf("user_code", "BCDF-GHJK")),
            notAForm));
    rows.add(
        row(
            "code entry: a form in a charset that does not exist is 415, not a server error",
            g ->
                g.onTheCodePage()
                    .post(
                        "/device",
                        FORM + "; charset=no-such-charset",
                        g.withCsrf("user_code", "BCDF")),
            notAForm));
    rows.add(
        row(
            "sign-in: text/plain is 415",
            g ->
                g.onTheCodePage()
                    .post("/login", "text/plain", g.withCsrf("username", "demo", "password", "x")),
            notAForm));
    rows.add(
        row(
            "consent: a body without a Content-Type is 415",
            g ->
                g.post(
                    "/device/consent",
                    null,
                    g.withCsrf("request", g.onTheConsentPage(), "decision", "approve")),
            notAForm));
    rows.add(
        row(
            "admin: multipart/form-data is 415",
            g ->
                g.signedInAsDemo()
                    .post("/admin/revoke", MULTIPART, g.multipart("grant", g.demoGrant())),
            notAForm));

    // A field named twice is ambiguous: which one the handler reads is an accident of the parser,
    // so
    // the form is refused whole, whichever value comes first.
    Consumer<Answer> repeated =
        page(400, "This form can't be accepted")
            .andThen(a -> assertThat(a.text()).contains("named a field more than once"));
    rows.add(
        row(
            "code entry: user_code twice, a live code first, is 400 and enters neither",
            g -> {
              String live = server.oauth().deviceCode().userCode();
              return g.onTheCodePage()
                  .form("/device", g.withCsrf("user_code", live, "user_code", "BCDF-GHJK"));
            },
            repeated));
    rows.add(
        row(
            "code entry: the CSRF token twice, the right one first, is 400",
            g ->
                g.onTheCodePage()
                    .form("/device", g.withCsrf("csrf", "another-token", "user_code", "BCDF-GHJK")),
            repeated));
    rows.add(
        row(
            "sign-in: username twice, the right one first, is 400 and signs nobody in",
            g ->
                g.onTheCodePage()
                    .form(
                        "/login",
                        g.withCsrf(
                            "username",
                            "demo",
                            "username",
                            "alice",
                            "password",
                            server.demoPassword)),
            repeated));
    rows.add(
        row(
            "consent: decision twice, approve and deny, is 400 and decides nothing",
            g ->
                g.form(
                    "/device/consent",
                    g.withCsrf(
                        "request",
                        g.onTheConsentPage(),
                        "decision",
                        "approve",
                        "decision",
                        "deny")),
            repeated));
    rows.add(
        row(
            "account: grant twice, one's own first, is 400 and revokes nothing",
            g -> {
              String grant = g.demoGrant();
              return g.signedInAsDemo()
                  .form("/account/revoke", g.withCsrf("grant", grant, "grant", grant));
            },
            repeated));
    rows.add(
        row(
            "admin: grant twice, a real one first, is 400 and revokes nothing",
            g -> {
              String grant = g.demoGrant();
              return g.signedInAsDemo()
                  .form("/admin/revoke", g.withCsrf("grant", grant, "grant", "unknown"));
            },
            repeated));

    // Sign-in (POST /login).
    rows.add(
        row(
            "sign-in: no username and no password is a failed sign-in, counted like one",
            g -> g.onTheCodePage().form("/login", g.withCsrf()),
            page(401, "Wrong username or password"),
            AuditEvent.Type.SIGN_IN_FAILED));
    rows.add(
        row(
            "sign-in: a username over 100 characters is a failed sign-in, never looked up",
            g ->
                g.onTheCodePage()
                    .form("/login", g.withCsrf("username", "d".repeat(101), "password", "x")),
            page(401, "Wrong username or password"),
            AuditEvent.Type.SIGN_IN_FAILED));
    rows.add(
        row(
            "sign-in: a password over 1024 characters is a failed sign-in, never hashed",
            g ->
                g.onTheCodePage()
                    .form("/login", g.withCsrf("username", "demo", "password", "p".repeat(1025))),
            page(401, "Wrong username or password"),
            AuditEvent.Type.SIGN_IN_FAILED));
    rows.add(
        row(
            "sign-in: a body over 64 KiB is 413",
            g ->
                g.onTheCodePage()
                    .form("/login", g.withCsrf("username", "demo", "password", tooMany)),
            page(413, "The request can't be handled")));
    rows.add(
        row(
            "sign-in: an endless chunked body is 413, before it ends",
            g -> endless("/login", true),
            page(413, "The request can't be handled")));

    // Consent (POST /device/consent).
    rows.add(
        row(
            "consent: no decision is 400, Choose Approve or Deny",
            g -> g.form("/device/consent", g.withCsrf("request", g.onTheConsentPage())),
            page(400, "Choose Approve or Deny")));
    rows.add(
        row(
            "consent: a decision other than approve or deny is 400",
            g ->
                g.form(
                    "/device/consent",
                    g.withCsrf("request", g.onTheConsentPage(), "decision", "APPROVE")),
            page(400, "Choose Approve or Deny")));
    rows.add(
        row(
            "consent: no request id is refused as not started in this browser",
            g -> {
              g.onTheConsentPage();
              return g.form("/device/consent", g.withCsrf("decision", "approve"));
            },
            page(403, "This sign-in request wasn't started in this browser")));
    rows.add(
        row(
            "consent: a request id of 400 characters is refused as not started in this browser",
            g -> {
              g.onTheConsentPage();
              return g.form(
                  "/device/consent", g.withCsrf("request", "f".repeat(400), "decision", "approve"));
            },
            page(403, "This sign-in request wasn't started in this browser")));
    rows.add(
        row(
            "consent: a request entered here but nobody signed in is 403, Please sign in first",
            g ->
                g.form(
                    "/device/consent",
                    g.withCsrf("request", g.enteredButSignedOut(), "decision", "approve")),
            page(403, "Please sign in first")));
    rows.add(
        row(
            "consent: an endless chunked body is 413, before it ends",
            g -> endless("/device/consent", true),
            page(413, "The request can't be handled")));

    // Sign-out (POST /logout).
    rows.add(
        row(
            "sign-out: the CSRF token of another session is refused, and both stay signed in",
            g -> {
              String other = new Given().signedInAsDemo().csrf;
              g.signedInAsDemo();
              return g.form("/logout", "csrf=" + other);
            },
            page(403, "This form can't be accepted")));

    // The account page's revocation (POST /account/revoke).
    rows.add(
        row(
            "account: no grant is 404, No such session",
            g -> g.signedInAsDemo().form("/account/revoke", g.withCsrf()),
            page(404, "No such session")));
    rows.add(
        row(
            "account: a grant id that is not an id is 404, No such session",
            g ->
                g.signedInAsDemo()
                    .form("/account/revoke", g.withCsrf("grant", "'; DROP TABLE grants; --")),
            page(404, "No such session")));
    rows.add(
        row(
            "account: revoking while signed out is 403, Please sign in first",
            g -> {
              String grant = g.demoGrant();
              return g.onTheCodePage().form("/account/revoke", g.withCsrf("grant", grant));
            },
            page(403, "Please sign in first")));

    // The admin page's revocation (POST /admin/revoke).
    rows.add(
        row(
            "admin: no grant is 404, No such grant",
            g -> g.signedInAsDemo().form("/admin/revoke", g.withCsrf()),
            page(404, "No such grant")));
    rows.add(
        row(
            "admin: an unknown grant id is 404, No such grant",
            g ->
                g.signedInAsDemo()
                    .form(
                        "/admin/revoke",
                        g.withCsrf("grant", "00000000-0000-0000-0000-000000000000")),
            page(404, "No such grant")));
    rows.add(
        row(
            "admin: a grant id of 36 characters that are not an id is 404, No such grant",
            g -> g.signedInAsDemo().form("/admin/revoke", g.withCsrf("grant", "z".repeat(36))),
            page(404, "No such grant")));
    rows.add(
        row(
            "admin: an administrator's revocation with an endless body is 413, before it ends",
            g -> endless("/admin/revoke", true),
            page(413, "The request can't be handled")));

    // Wrong methods: a page asked with a method it does not answer says so, with a 405.
    rows.add(
        row(
            "wrong method: PUT on the code page is 405",
            g -> g.onTheCodePage().send("PUT", "/device"),
            page(405, "be used that way")));
    rows.add(
        row(
            "wrong method: DELETE on the account page's revocation is 405",
            g -> g.signedInAsDemo().send("DELETE", "/account/revoke"),
            page(405, "be used that way")));
    rows.add(
        row(
            "wrong method: GET on the admin page's revocation is 405",
            g -> g.signedInAsDemo().send("GET", "/admin/revoke"),
            page(405, "be used that way")));
    rows.add(
        row(
            "wrong method: POST on the health check is 405",
            g -> g.send("POST", "/healthz"),
            page(405, "be used that way")));
    rows.add(
        row(
            "wrong method: POST on the metrics is 405",
            g -> g.send("POST", "/metrics"),
            page(405, "be used that way")));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void isRefusedAndChangesNothing(BadInput<Given, Answer> row) {
    row.assertRefusedAndChangesNothing(server, new Given(), Answer::status);
  }
}

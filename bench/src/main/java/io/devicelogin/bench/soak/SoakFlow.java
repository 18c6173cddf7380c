package io.devicelogin.bench.soak;

import io.devicelogin.bench.scenario.PageApprover;
import io.devicelogin.bench.soak.Calls.Answer;
import io.devicelogin.bench.soak.Ledger.Breach;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One person's login, from the terminal's request to the end of its tokens: a device authorization,
 * a poll while nobody has approved, the approval through the pages, polls until the tokens, {@code
 * /userinfo}, a refresh, and then either a revocation or a replay of the old refresh token. Along
 * the way it checks what must never happen: an approved code that never gives tokens, a code or
 * refresh token accepted twice, a revoked token accepted.
 *
 * <p>A step that meets an outage (no answer, a 5xx, a 429) tries again a second later, for as long
 * as the device code lives, as a real client would; the error is counted by kind.
 */
final class SoakFlow implements Runnable {
  static final String CLIENT_ID = "bench-cli";
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final String TOKEN = "/oauth2/token";

  private final Calls calls;
  private final Ledger ledger;
  private final BlockingQueue<PageApprover> approvers;
  private final boolean revokeAtTheEnd;

  SoakFlow(
      Calls calls, Ledger ledger, BlockingQueue<PageApprover> approvers, boolean revokeAtTheEnd) {
    this.calls = calls;
    this.ledger = ledger;
    this.approvers = approvers;
    this.revokeAtTheEnd = revokeAtTheEnd;
  }

  @Override
  public void run() {
    ledger.flowStarted();
    try {
      login();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      ledger.abandoned("the soak's own failure: " + e.getClass().getSimpleName());
    }
  }

  private void login() throws InterruptedException {
    long flowDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    Optional<Answer> issued =
        retrying(
            flowDeadline,
            () ->
                calls.post(
                    "/oauth2/device_authorization",
                    Calls.form("client_id", CLIENT_ID, "scope", "openid offline_access")));
    if (issued.isEmpty() || !issued.get().ok()) {
      ledger.abandoned("no device code within 2 minutes");
      return;
    }
    Answer code = issued.get();
    String deviceCode = code.field("device_code");
    String userCode = code.field("user_code");
    long interval = Math.max(1, code.json().path("interval").asLong(5));
    long expiry =
        System.nanoTime() + TimeUnit.SECONDS.toNanos(code.json().get("expires_in").asLong());

    TimeUnit.SECONDS.sleep(interval);
    Optional<Answer> first = poll(deviceCode, expiry);
    if (first.isPresent() && first.get().ok()) {
      ledger.breach(Breach.ISSUED_TWICE); // tokens before anyone approved
      return;
    }

    boolean approved = approve(userCode, expiry);
    if (approved) {
      ledger.approved();
    }

    Optional<Answer> tokens = Optional.empty();
    while (System.nanoTime() < expiry) {
      TimeUnit.SECONDS.sleep(interval);
      Optional<Answer> answer = poll(deviceCode, expiry);
      if (answer.isEmpty()) {
        break;
      }
      if (answer.get().ok()) {
        tokens = answer;
        break;
      }
      String error = answer.get().error();
      if ("slow_down".equals(error)) {
        interval += 5;
      } else if (!"authorization_pending".equals(error)) {
        break;
      }
    }
    if (tokens.isEmpty()) {
      if (approved) {
        ledger.breach(Breach.APPROVAL_LOST);
      } else {
        ledger.abandoned("never approved (the pages did not answer before the code expired)");
      }
      return;
    }
    String access = tokens.get().field("access_token");
    String refresh = tokens.get().field("refresh_token");
    ledger.issued(jwtId(access));
    ledger.issued(refresh);

    once(() -> calls.getWithBearer("/userinfo", access))
        .filter(a -> a.status() != 200)
        .ifPresent(a -> ledger.error("GET /userinfo with a fresh token: " + a.status()));

    Optional<Answer> refreshed = once(() -> calls.post(TOKEN, refreshForm(refresh)));
    if (refreshed.isEmpty() || !refreshed.get().ok()) {
      ledger.abandoned("refresh failed during an outage (the grant may have been rotated)");
      return;
    }
    String rotated = refreshed.get().field("refresh_token");
    ledger.issued(jwtId(refreshed.get().field("access_token")));
    ledger.issued(rotated);

    if (revokeAtTheEnd) {
      Optional<Answer> revoked =
          once(
              () ->
                  calls.post(
                      "/oauth2/revoke",
                      Calls.form(
                          "token",
                          rotated,
                          "token_type_hint",
                          "refresh_token",
                          "client_id",
                          CLIENT_ID)));
      if (revoked.isPresent() && revoked.get().ok()) {
        once(() -> calls.post(TOKEN, refreshForm(rotated)))
            .filter(Answer::ok)
            .ifPresent(a -> ledger.breach(Breach.REVOKED_ACCEPTED));
      }
    } else {
      // RFC 9700 §4.14.2: the old refresh token, replayed, is refused (and ends the grant).
      once(() -> calls.post(TOKEN, refreshForm(refresh)))
          .filter(Answer::ok)
          .ifPresent(a -> ledger.breach(Breach.ISSUED_TWICE));
    }
    // The same device code again must not give a second set of tokens (RFC 8628 §3.5); the
    // server then ends the grant, so this comes last.
    once(() -> calls.post(TOKEN, deviceCodeForm(deviceCode)))
        .filter(Answer::ok)
        .ifPresent(a -> ledger.breach(Breach.ISSUED_TWICE));
    ledger.flowCompleted();
  }

  /**
   * Approves through the pages, trying again after a failure while the code lives; true once the
   * consent page accepted the approval.
   */
  private boolean approve(String userCode, long expiry) throws InterruptedException {
    while (System.nanoTime() < expiry) {
      PageApprover approver = approvers.take();
      try {
        approver.approve(userCode);
        return true;
      } catch (IllegalStateException e) {
        approver.reset();
        ledger.error("approval through the pages: " + kindOf(e.getMessage()));
      } finally {
        approvers.put(approver);
      }
      TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
    }
    return false;
  }

  /** A poll, repeated after failures to answer until the code expires. */
  private Optional<Answer> poll(String deviceCode, long expiry) throws InterruptedException {
    return retrying(expiry, () -> calls.post(TOKEN, deviceCodeForm(deviceCode)));
  }

  private Optional<Answer> retrying(long deadline, Supplier<Optional<Answer>> call)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      Optional<Answer> answer = call.get();
      if (answer.isPresent() && !answer.get().transientFailure()) {
        return answer;
      }
      TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
    }
    return Optional.empty();
  }

  /** A call after the tokens: tried again through an outage for up to two minutes. */
  private Optional<Answer> once(Supplier<Optional<Answer>> call) throws InterruptedException {
    return retrying(System.nanoTime() + TimeUnit.MINUTES.toNanos(2), call);
  }

  private static java.util.Map<String, String> deviceCodeForm(String deviceCode) {
    return Calls.form(
        "grant_type",
        "urn:ietf:params:oauth:grant-type:device_code",
        "device_code",
        deviceCode,
        "client_id",
        CLIENT_ID);
  }

  private static java.util.Map<String, String> refreshForm(String refreshToken) {
    return Calls.form(
        "grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", CLIENT_ID);
  }

  /** The {@code jti} of a JWT access token: each issued token has its own. */
  private static String jwtId(String jwt) {
    String[] parts = jwt.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    int at = payload.indexOf("\"jti\":\"");
    return at < 0 ? jwt : "jti:" + payload.substring(at + 7, payload.indexOf('"', at + 7));
  }

  /** A page failure's kind, without the codes, hosts and bodies in its message. */
  private static String kindOf(String message) {
    if (message == null) {
      return "failed";
    }
    String m =
        message
            .replaceAll("http://[^/]+", "")
            .replaceAll("\\?[^ ]*", "")
            .replaceAll("\\b[A-Z0-9]{4}-[A-Z0-9]{4}\\b", "CODE");
    int colon = m.indexOf(": ");
    if (colon < 0) {
      return m;
    }
    String rest = m.substring(colon + 2);
    if (rest.startsWith("java.")) {
      String exception = rest.split("[: ]", 2)[0];
      return m.substring(0, colon) + ": " + exception.substring(exception.lastIndexOf('.') + 1);
    }
    return m.substring(0, colon);
  }
}

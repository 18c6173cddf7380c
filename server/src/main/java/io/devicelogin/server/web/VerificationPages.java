package io.devicelogin.server.web;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.device.UserCodeGenerator;
import io.devicelogin.server.grant.SignIn;
import io.devicelogin.server.policy.ApproverPolicy;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.protocol.AddressGroup;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Consent;
import io.devicelogin.server.web.Views.Decided;
import io.devicelogin.server.web.Views.EnterCode;
import io.devicelogin.server.web.Views.Link;
import io.devicelogin.server.web.Views.Lockout;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 8628 §3.3 from the person's side: {@code /device} (enter the code) and {@code
 * /device/consent} (see who asks for what, then approve or deny).
 *
 * <p>A code arriving in the link ({@code ?user_code=}) only fills in the form: the person still
 * submits it, so that a link alone never starts anything. Wrong codes are limited per browser
 * session, and at a higher count per address group; while paused, even a right code is refused, or
 * the limit would only slow a guesser down. The example code and codes that were issued but have
 * ended are mistakes, not guesses, and are not counted.
 */
final class VerificationPages {
  static final String CONSENT = "/device/consent";

  private VerificationPages() {}

  /** GET /device: the form, pre-filled from {@code ?user_code=}. */
  static void enterCode(Web web, Context ctx) {
    Visit visit = web.cookies.current(ctx);
    String group = AddressGroup.of(web.context.origins().ip(ctx));
    AttemptLimit.State limit = web.codeEntry.check(visit.ref(), group);
    if (limit.locked()) {
      lockout(web, ctx, visit, limit);
      return;
    }
    String typed = ctx.queryParam("user_code");
    String prefill = null;
    if (typed != null) {
      prefill =
          UserCodeGenerator.normalise(typed)
              .map(UserCodeGenerator::display)
              .orElse(typed.length() <= 20 ? typed.trim() : null);
    }
    web.pages.render(
        ctx,
        200,
        "device.jte",
        web.frame(visit, "Enter your code", "device"),
        new EnterCode(prefill, prefill != null && !prefill.isEmpty(), null, null));
  }

  /** POST /device: check the code, then on to sign-in and consent. */
  static void submitCode(Web web, Context ctx) {
    Visit visit = web.cookies.requireForm(ctx);
    Origin origin = web.context.origins().of(ctx);
    web.codeEntry.serialised(
        visit.ref(), origin.addressGroup(), () -> submitCode(web, ctx, visit, origin));
  }

  private static void submitCode(Web web, Context ctx, Visit visit, Origin origin) {
    AttemptLimit.State limit = web.codeEntry.check(visit.ref(), origin.addressGroup());
    if (limit.locked()) {
      web.context.metrics().rateLimited("user_code");
      web.refusals.record(
          "code-entry:" + visit.ref(),
          visit
              .event(AuditEvent.Type.RATE_LIMITED, origin)
              .detail("user code refused: too many wrong codes"));
      lockout(web, ctx, visit, limit);
      return;
    }
    String typed = ctx.formParam("user_code");
    if (typed == null || typed.isBlank()) {
      web.pages.render(
          ctx,
          400,
          "device.jte",
          web.frame(visit, "Enter your code", "device"),
          new EnterCode(
              null,
              false,
              "Please enter the code",
              "Type the code your terminal shows, for example "
                  + UserCodeGenerator.display(UserCodeGenerator.EXAMPLE)
                  + "."));
      return;
    }
    Optional<String> normalised = UserCodeGenerator.normalise(typed);
    Optional<DeviceAuthorizationRecord> record =
        normalised.flatMap(code -> web.context.devices().findLive(code));
    if (record.isEmpty() && normalised.isPresent() && notAGuess(web, normalised.get())) {
      // The page's own example, or a code that was issued and has expired or been used: a
      // mistake a person makes, not a guess, so it is not counted.
      boolean example = normalised.get().equals(UserCodeGenerator.EXAMPLE);
      web.pages.render(
          ctx,
          400,
          "device.jte",
          web.frame(visit, example ? "That is the example code" : "That code has ended", "device"),
          new EnterCode(
              null,
              false,
              example ? "That is the example code" : "That code has expired or was already used",
              example
                  ? "Type the code that your terminal shows."
                  : "Codes last a few minutes and work once. Start the sign-in again in your"
                      + " terminal, then type the new code it shows."));
      return;
    }
    if (record.isEmpty()) {
      // The typed text is not recorded: a wrong code may be a mistyped password or anything else.
      web.context
          .audit()
          .record(
              visit
                  .event(AuditEvent.Type.USER_CODE_WRONG, origin)
                  .detail("unknown, expired or used user code"));
      AttemptLimit.State after = web.codeEntry.check(visit.ref(), origin.addressGroup());
      if (after.locked()) {
        lockout(web, ctx, visit, after);
        return;
      }
      long left = after.left();
      web.pages.render(
          ctx,
          400,
          "device.jte",
          web.frame(visit, "That code isn't valid", "device"),
          new EnterCode(
              typed.length() <= 20 ? typed.trim() : null,
              false,
              "That code isn't valid",
              "It may be mistyped, expired (codes last a few minutes) or already used. Check the code in your"
                  + " terminal, or start the sign-in there again. You can try "
                  + left
                  + (left == 1 ? " more time" : " more times")
                  + " in the next "
                  + web.codeEntry.window().toMinutes()
                  + " minutes."));
      return;
    }
    DeviceAuthorizationRecord r = record.get();
    web.context
        .audit()
        .record(
            visit
                .event(AuditEvent.Type.USER_CODE_ENTERED, origin)
                .client(r.clientId())
                .scope(r.scope())
                .deviceAuthorization(r.id()));
    web.pages.redirect(ctx, CONSENT + "?request=" + r.id());
  }

  /** GET /device/consent?request=ID: the question, after sign-in. */
  static void consent(Web web, Context ctx) {
    Visit visit = web.cookies.current(ctx);
    String id = ctx.queryParam("request");
    requireEnteredHere(web, visit, id);
    Optional<User> signedIn = web.signedInOrRedirect(ctx, visit, CONSENT + "?request=" + id);
    if (signedIn.isEmpty()) {
      return;
    }
    User user = signedIn.get();
    DeviceAuthorizationRecord record = stillPending(web, id);
    ClientPolicy client =
        web.context
            .clients()
            .find(record.clientId())
            .orElseThrow(
                () ->
                    PageProblem.of(
                        410,
                        "This program is no longer registered",
                        "The program that asked to sign in has been removed from this server, so it cannot be approved."));
    ApproverPolicy.Allowed allowed = approverOrRefuse(web, ctx, visit, user, record, client);
    Instant now = web.context.clock().instant();
    String approverIp = web.context.origins().ip(ctx);
    Consent view =
        new Consent(
            record.id(),
            client.name(),
            client.clientId(),
            GrantCards.described(client.asShownToThePerson(allowed.scope()), web.context.clients()),
            UserCodeGenerator.display(record.userCode()),
            TimeText.ago(record.createdAt(), now),
            TimeText.at(record.createdAt()),
            OriginText.address(record.requestIp()),
            OriginText.userAgent(record.requestUserAgent()),
            approverIp,
            record.requestIp() != null && !record.requestIp().equals(approverIp),
            TimeText.in(record.expiresAt(), now),
            user.username(),
            record.deviceName(),
            GrantCards.described(Scope.of(allowed.removed().keySet()), web.context.clients()));
    web.pages.render(ctx, 200, "consent.jte", web.frame(visit, "Approve sign-in?", "device"), view);
  }

  /**
   * What the client's approver policy lets {@code user} approve; for a person outside it, the
   * request is denied (by the service) and the refusal page shown instead.
   */
  private static ApproverPolicy.Allowed approverOrRefuse(
      Web web,
      Context ctx,
      Visit visit,
      User user,
      DeviceAuthorizationRecord record,
      ClientPolicy client) {
    ApproverPolicy.Decision decision =
        web.context
            .devices()
            .mayApprove(record.id(), user, web.context.origins().of(ctx), visit.ref());
    if (decision instanceof ApproverPolicy.Refused refused) {
      throw ApproverRefusal.page(refused, client.approvers(), client.name(), user.username());
    }
    return (ApproverPolicy.Allowed) decision;
  }

  /** POST /device/consent: approve or deny. */
  static void decide(Web web, Context ctx) {
    Visit visit = web.cookies.requireForm(ctx);
    String id = ctx.formParam("request");
    String decision = ctx.formParam("decision");
    if (!"approve".equals(decision) && !"deny".equals(decision)) {
      throw PageProblem.of(
          400,
          "Choose Approve or Deny",
          "The form did not say whether to approve or deny." + " Nothing was changed.",
          new Link("/device", "Enter a code"));
    }
    requireEnteredHere(web, visit, id);
    User user = web.signedIn(visit);
    DeviceAuthorizationRecord record = stillPending(web, id);
    Optional<ClientPolicy> client = web.context.clients().find(record.clientId());
    String clientName = client.map(ClientPolicy::name).orElse(record.clientId());
    Origin origin = web.context.origins().of(ctx);
    if ("approve".equals(decision) && client.isPresent()) {
      // Asked again: the account's groups may have changed since the page was shown.
      approverOrRefuse(web, ctx, visit, user, record, client.get());
    }
    try {
      if ("approve".equals(decision)) {
        web.context.devices().approve(id, user, origin, visit.ref(), SignIn.of(visit.session()));
      } else {
        web.context.devices().deny(id, user, origin, visit.ref());
      }
    } catch (OAuthProblem refused) {
      // The service's refusals are written for people: already answered, expired, account disabled.
      throw PageProblem.of(
          409,
          "This sign-in can't be " + ("approve".equals(decision) ? "approved" : "denied"),
          capitalise(refused.getMessage())
              + ". Nothing was changed. If you still want to sign in, start again in your"
              + " terminal.",
          new Link("/device", "Enter a code"));
    }
    web.pages.render(
        ctx,
        200,
        "decided.jte",
        web.frame(visit, "approve".equals(decision) ? "Approved" : "Denied", "device"),
        new Decided("approve".equals(decision), clientName, user.username()));
  }

  private static boolean notAGuess(Web web, String code) {
    return code.equals(UserCodeGenerator.EXAMPLE) || web.context.devices().wasIssued(code);
  }

  private static void requireEnteredHere(Web web, Visit visit, String id) {
    if (!web.entered.by(visit.ref(), id)) {
      throw PageProblem.of(
          403,
          "This sign-in request wasn't started in this browser",
          "To approve a sign-in, type the code that your terminal shows on the code page, in this browser."
              + " Nothing was changed.",
          new Link("/device", "Enter a code"));
    }
  }

  private static DeviceAuthorizationRecord stillPending(Web web, String id) {
    DeviceAuthorizationRecord record =
        web.context
            .devices()
            .find(id)
            .orElseThrow(
                () ->
                    PageProblem.of(
                        404,
                        "No such sign-in request",
                        "Start the sign-in again in your terminal.",
                        new Link("/device", "Enter a code")));
    Instant now = web.context.clock().instant();
    if (record.status() == DeviceAuthorizationRecord.Status.PENDING && !record.isExpiredAt(now)) {
      return record;
    }
    String what =
        switch (record.status()) {
          case APPROVED, REDEEMED -> "It has already been approved.";
          case DENIED -> "It has already been denied.";
          default -> "It has expired: codes last only a few minutes.";
        };
    throw PageProblem.of(
        410,
        "This sign-in request is no longer waiting",
        what
            + " If you still want to sign in, start again in your terminal and enter the new code.",
        new Link("/device", "Enter a code"));
  }

  private static void lockout(Web web, Context ctx, Visit visit, AttemptLimit.State limit) {
    Instant now = web.context.clock().instant();
    Instant until = limit.lockedUntil().orElseThrow();
    ctx.header("Retry-After", Long.toString(limit.retryAfterSeconds(now)));
    web.pages.render(
        ctx,
        429,
        "lockout.jte",
        web.frame(visit, "Too many wrong codes", "device"),
        new Lockout(
            TimeText.clockTime(until, now),
            TimeText.in(until, now),
            web.codeEntry.allowed(),
            web.codeEntry.allowedByAddress(),
            web.codeEntry.window().toMinutes() + " minutes"));
  }

  private static String capitalise(String s) {
    return s == null || s.isEmpty()
        ? "It is no longer possible"
        : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}

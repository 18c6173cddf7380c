package io.devicelogin.server.web;

import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Link;
import java.util.List;

/**
 * A request the pages refuse, with what to tell the person. Thrown by a page handler and rendered
 * by {@link WebPages} as a readable page with this status; it carries no stack trace because it is
 * not a failure of the server.
 */
final class PageProblem extends RuntimeException {
  final int status;
  final String heading;
  final List<String> paragraphs;
  final List<Link> links;

  PageProblem(int status, String heading, List<String> paragraphs, List<Link> links) {
    super(heading, null, false, false);
    this.status = status;
    this.heading = heading;
    this.paragraphs = List.copyOf(paragraphs);
    this.links = List.copyOf(links);
  }

  static PageProblem of(int status, String heading, String text, Link... links) {
    return new PageProblem(status, heading, List.of(text), List.of(links));
  }

  /** A form without this session's CSRF token: from another site, another session, or stale. */
  static PageProblem csrf() {
    return formRefused(
        403,
        "For your safety, the form was not submitted: it came from another page or session, or was"
            + " opened too long ago.");
  }

  /** A POST whose body is not a UTF-8 form: not from one of our pages. */
  static PageProblem notAForm() {
    return formRefused(
        415, "The form was sent in a way this page does not accept, so it was not read.");
  }

  /** A form that names a field more than once: it cannot say which value it means. */
  static PageProblem repeatedField() {
    return formRefused(400, "The form named a field more than once, so it was not read.");
  }

  private static PageProblem formRefused(int status, String why) {
    return of(
        status,
        "This form can't be accepted",
        why + " Nothing was changed. Go back, reload the page and try again.",
        new Link("/device", "Enter a code"),
        new Link("/account", "Your CLI sessions"));
  }

  static PageProblem inactiveAccount(User user) {
    String state = user.status() == User.Status.LOCKED ? "locked" : "disabled";
    return of(
        403,
        "This account is " + state,
        "The account "
            + user.username()
            + " is "
            + state
            + ", so it cannot sign in, approve sign-ins or manage"
            + " sessions. Ask an administrator to enable it.");
  }
}

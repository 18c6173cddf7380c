package io.devicelogin.server.web;

import io.devicelogin.server.policy.ApproverPolicy;
import io.devicelogin.server.policy.ApproverPolicy.Refused;
import io.devicelogin.server.web.Views.Link;
import java.util.ArrayList;
import java.util.List;

/**
 * The page of a person whom a client's approver policy leaves out: which kind of rule, in words,
 * but not its lists (group names, domains, people), which are the organisation's business and not a
 * stranger's; the audit trail has the detail.
 */
final class ApproverRefusal {
  private ApproverRefusal() {}

  static PageProblem page(
      Refused refused, ApproverPolicy policy, String clientName, String username) {
    String outcome =
        " The request has been denied, and your terminal will say so. If you should be allowed,"
            + " ask your administrator, then start the sign-in again in your terminal.";
    if (refused.rule() == ApproverPolicy.Rule.SCOPE_GROUPS) {
      return PageProblem.of(
          403,
          "You can't approve this sign-in",
          "Everything "
              + clientName
              + " asked for needs membership of a group that your account, "
              + username
              + ", is not in, so there is nothing you could approve."
              + outcome,
          new Link("/device", "Enter a code"));
    }
    return PageProblem.of(
        403,
        "You can't approve this sign-in",
        "Your account, "
            + username
            + ", is not among the people allowed to approve sign-ins of "
            + clientName
            + ". They are approved only by "
            + who(policy)
            + "."
            + outcome,
        new Link("/device", "Enter a code"));
  }

  /** The kinds of rule that are set, in words. */
  private static String who(ApproverPolicy policy) {
    List<String> kinds = new ArrayList<>();
    if (!policy.groups().isEmpty()) {
      kinds.add("members of certain groups");
    }
    if (!policy.emailDomains().isEmpty()) {
      kinds.add("people with a verified e-mail address at certain domains");
    }
    if (!policy.users().isEmpty()) {
      kinds.add("people the administrator named");
    }
    return String.join(" or ", kinds);
  }
}

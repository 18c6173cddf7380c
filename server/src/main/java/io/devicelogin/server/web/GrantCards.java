package io.devicelogin.server.web;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.web.Views.GrantCard;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A grant in words, for the account and admin pages. */
final class GrantCards {
  private GrantCards() {}

  static GrantCard of(Grant g, String username, ClientRegistry clients, Instant now) {
    Optional<ClientPolicy> client = clients.find(g.clientId());
    String clientName = client.map(ClientPolicy::name).orElse(g.clientId());
    boolean expired = g.active() && g.expiresAt() != null && !now.isBefore(g.expiresAt());
    String status = !g.active() ? "revoked" : expired ? "expired" : "active";
    String revoked = null;
    if (!g.active()) {
      revoked =
          "Revoked "
              + TimeText.at(g.revokedAt())
              + (g.revokedBy() == null ? "" : " by " + who(g.revokedBy()))
              + (g.revokeReason() == null ? "" : " (" + g.revokeReason() + ")");
    }
    return new GrantCard(
        g.id(),
        username,
        clientName,
        g.clientId(),
        described(client.map(c -> c.asShownToThePerson(g.scope())).orElse(g.scope()), clients),
        status,
        "active".equals(status),
        TimeText.at(g.requestedAt()),
        g.requestedAt() == null ? "" : TimeText.ago(g.requestedAt(), now),
        OriginText.address(g.requestIp()),
        OriginText.userAgent(g.requestUserAgent()),
        TimeText.at(g.approvedAt()),
        g.approvedAt() == null ? "" : TimeText.ago(g.approvedAt(), now),
        OriginText.address(g.approveIp()),
        OriginText.userAgent(g.approveUserAgent()),
        g.lastUsedAt() == null
            ? "not used yet"
            : TimeText.ago(g.lastUsedAt(), now) + " (" + TimeText.at(g.lastUsedAt()) + ")",
        revoked,
        g.deviceName());
  }

  /** A scope's tokens in words, in its order. */
  static List<Views.Scope> described(Scope scope, ClientRegistry clients) {
    return scope.tokens().stream().map(s -> new Views.Scope(s, clients.describe(s))).toList();
  }

  /** {@code user:demo} as "demo", {@code admin:root} as "administrator root", and so on. */
  static String who(String actor) {
    if (actor.startsWith("user:")) {
      return actor.substring(5);
    }
    if (actor.startsWith("admin:")) {
      return "administrator " + actor.substring(6);
    }
    if (actor.startsWith("client:")) {
      return "the program " + actor.substring(7);
    }
    if ("system".equals(actor)) {
      return "the server";
    }
    return actor;
  }
}

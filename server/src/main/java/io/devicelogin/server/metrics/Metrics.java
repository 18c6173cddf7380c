package io.devicelogin.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The server's metrics, scraped at {@code /metrics} in the Prometheus text format:
 *
 * <ul>
 *   <li>{@code devicelogin_requests_total{endpoint, outcome}}: OAuth requests by endpoint and
 *       outcome ({@code ok} or the OAuth error code, such as {@code authorization_pending});
 *   <li>{@code devicelogin_pending_authorizations}: device authorizations waiting for a person;
 *   <li>{@code devicelogin_grants_issued_total}, {@code devicelogin_grants_revoked_total};
 *   <li>{@code devicelogin_rate_limited_total{limit}}: requests refused by a rate limit;
 *   <li>{@code devicelogin_client_rate_limited_total{client_id, limit}}: device authorization
 *       requests refused, by client and limit, so that an operator can alert when a client's people
 *       are being turned away.
 * </ul>
 *
 * <p>Label values are endpoint names, OAuth error codes, limit names and registered client ids,
 * reduced to {@code [a-z0-9_]}: never a token, code, user or address, so that neither a secret nor
 * a person ends up in a monitoring system, and the number of series stays small (a client id is one
 * of the configuration file's, since only registered clients reach a limit).
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /**
   * Counters by name and raw label value: the token endpoint counts every poll, so neither the
   * registry's lookup nor the label's clean-up runs more than once per series.
   */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  private final Counter grantsIssued =
      Counter.builder("devicelogin_grants_issued")
          .description("grants whose first tokens were issued")
          .register(registry);
  private final Counter grantsRevoked =
      Counter.builder("devicelogin_grants_revoked")
          .description("grants revoked, by the person, an admin, the client, or on replay")
          .register(registry);

  /** Counts one OAuth request; {@code outcome} is {@code ok} or the OAuth error code. */
  public void request(String endpoint, String outcome) {
    count(
        "devicelogin_requests",
        "OAuth requests by endpoint and outcome",
        "endpoint",
        endpoint,
        "outcome",
        outcome);
  }

  public void grantIssued() {
    grantsIssued.increment();
  }

  public void grantRevoked() {
    grantsRevoked.increment();
  }

  /**
   * Counts one request refused by the limit {@code limit}, such as {@code
   * device_authorization_per_ip}.
   */
  public void rateLimited(String limit) {
    count("devicelogin_rate_limited", "requests refused by a rate limit", "limit", limit);
  }

  /**
   * Counts one request of the registered client {@code clientId} refused by {@code limit}, such as
   * {@code device_authorization_per_client}.
   */
  public void clientRateLimited(String clientId, String limit) {
    count(
        "devicelogin_client_rate_limited",
        "device authorization requests refused, by client and limit",
        "client_id",
        clientId,
        "limit",
        limit);
  }

  /**
   * Increments the counter {@code name} of the labels {@code tags} (name, value, name, value…),
   * registered on its first use.
   */
  private void count(String name, String description, String... tags) {
    counters
        .computeIfAbsent(
            name + "\u0000" + String.join("\u0000", tags),
            k -> {
              Counter.Builder counter = Counter.builder(name).description(description);
              for (int i = 0; i < tags.length; i += 2) {
                counter = counter.tag(tags[i], label(tags[i + 1]));
              }
              return counter.register(registry);
            })
        .increment();
  }

  public void pendingAuthorizations(Supplier<Number> count) {
    Gauge.builder("devicelogin_pending_authorizations", count)
        .description("device authorizations waiting for a person")
        .register(registry);
  }

  /** The Prometheus text exposition format, version 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  /** A label value: lower case, {@code [a-z0-9_]}, at most 64 characters. */
  static String label(String value) {
    String v =
        value == null ? "none" : value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    return v.length() <= 64 ? v : v.substring(0, 64);
  }
}

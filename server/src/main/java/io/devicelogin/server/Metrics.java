package io.devicelogin.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/**
 * The server's metrics, scraped at {@code /metrics} in the Prometheus text format. Labels are
 * endpoint names, outcomes and limit names: never a token, code, user or address.
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public void request(String endpoint, String outcome) {
    Counter.builder("devicelogin_requests").tag("endpoint", endpoint).tag("outcome", outcome)
        .description("requests by endpoint and outcome").register(registry).increment();
  }

  public void grantIssued() {
    Counter.builder("devicelogin_grants_issued").description("grants whose first tokens were issued")
        .register(registry).increment();
  }

  public void grantRevoked() {
    Counter.builder("devicelogin_grants_revoked").description("grants revoked").register(registry).increment();
  }

  public void rateLimited(String limit) {
    Counter.builder("devicelogin_rate_limited").tag("limit", limit).description("requests refused by a rate limit")
        .register(registry).increment();
  }

  public void pendingAuthorizations(Supplier<Number> count) {
    Gauge.builder("devicelogin_pending_authorizations", count).description("device authorizations waiting for a person")
        .register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }
}

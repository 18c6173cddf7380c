package io.devicelogin.client.http;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.LoginCancelledException;
import io.devicelogin.client.TransportException;
import io.devicelogin.client.wire.Form;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Form POSTs and JSON GETs to OAuth endpoints over {@link HttpClient}. Every request has its own
 * timeout, can be abandoned through a {@link Cancellation}, and is logged by method, endpoint and
 * status only: never a parameter or a body.
 */
public final class OAuthHttp {
  private static final Logger log = LoggerFactory.getLogger(OAuthHttp.class);

  private final HttpClient client;
  private final HttpSettings settings;

  public OAuthHttp(HttpSettings settings) {
    this.settings = settings;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    settings.proxySelector().ifPresent(builder::proxy);
    settings.sslContext().ifPresent(builder::sslContext);
    this.client = builder.build();
  }

  public HttpSettings settings() {
    return settings;
  }

  /**
   * POSTs {@code form} as {@code application/x-www-form-urlencoded} (RFC 6749 appendix B).
   *
   * @throws TransportException if the server cannot be reached or does not answer in time
   * @throws LoginCancelledException if {@code cancellation} is raised first
   */
  public HttpResult postForm(URI endpoint, Form form, Cancellation cancellation) {
    HttpRequest request =
        base(endpoint)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.encode()))
            .build();
    return send(request, cancellation);
  }

  /** GETs a JSON document. */
  public HttpResult get(URI endpoint, Cancellation cancellation) {
    return send(base(endpoint).GET().build(), cancellation);
  }

  private HttpRequest.Builder base(URI endpoint) {
    return HttpRequest.newBuilder(endpoint)
        .timeout(settings.requestTimeout())
        .header("Accept", "application/json")
        .header("User-Agent", settings.userAgent());
  }

  private HttpResult send(HttpRequest request, Cancellation cancellation) {
    cancellation.throwIfCancelled();
    CompletableFuture<HttpResponse<String>> future =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    try (AutoCloseable ignored = cancellation.onCancel(() -> future.cancel(true))) {
      HttpResponse<String> response = future.get();
      log.debug("{} {} -> {}", request.method(), request.uri(), response.statusCode());
      return new HttpResult(
          request.uri(), response.statusCode(), response.headers(), response.body());
    } catch (CancellationException e) {
      throw new LoginCancelledException();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new LoginCancelledException();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cancellation.isCancelled()) {
        throw new LoginCancelledException();
      }
      String problem =
          cause instanceof HttpTimeoutException
              ? "no answer within " + settings.requestTimeout().toMillis() + " ms"
              : describe(cause);
      log.debug("{} {} failed: {}", request.method(), request.uri(), problem);
      throw new TransportException(request.uri(), problem, cause);
    } catch (Exception e) {
      // Only AutoCloseable.close can land here, and ours does not throw.
      throw new IllegalStateException(e);
    }
  }

  private static String describe(Throwable cause) {
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return "no connection within the connect timeout";
    }
    if (cause instanceof UnknownHostException) {
      return "unknown host " + cause.getMessage();
    }
    if (cause instanceof SSLException) {
      return "TLS failed: " + cause.getMessage();
    }
    if (cause instanceof IOException && cause.getMessage() != null) {
      return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
    return cause.getClass().getSimpleName();
  }
}

package io.devicelogin.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devicelogin.client.Secret;
import io.devicelogin.server.config.Defaults;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The calls to an upstream identity provider: GET a JSON document, POST a form to its token
 * endpoint. Each has a connect and a read timeout, follows no redirect, and reads at most {@link
 * #LARGEST} bytes; a failure is an {@link IOException} whose message says what failed without any
 * secret.
 */
final class UpstreamHttp {
  /** Discovery documents, key sets and token responses are a few KiB. */
  private static final int LARGEST = 256 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration readTimeout;

  UpstreamHttp(Duration connectTimeout, Duration readTimeout) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.readTimeout = readTimeout;
  }

  static UpstreamHttp ofDefaults() {
    return new UpstreamHttp(Defaults.UPSTREAM_CONNECT_TIMEOUT, Defaults.UPSTREAM_READ_TIMEOUT);
  }

  /** The JSON object at {@code uri}. */
  JsonNode getJson(URI uri) throws IOException {
    return send(HttpRequest.newBuilder(uri).GET(), uri);
  }

  /**
   * POSTs {@code form} to {@code uri}; with {@code basic}, authenticated as RFC 6749 §2.3.1 says
   * (client_secret_basic: id and secret each form-encoded, then base64). The JSON object of the
   * answer, whatever its status: a token endpoint says its errors in JSON with a 400.
   */
  JsonNode postForm(URI uri, Map<String, String> form, Optional<Basic> basic) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
    basic.ifPresent(a -> b.header("Authorization", a.header()));
    return send(b, uri);
  }

  /** A client's id and secret for HTTP Basic authentication. */
  record Basic(String clientId, Secret secret) {
    String header() {
      String pair =
          URLEncoder.encode(clientId, StandardCharsets.UTF_8)
              + ":"
              + URLEncoder.encode(secret.revealForTransmission(), StandardCharsets.UTF_8);
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
  }

  static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private JsonNode send(HttpRequest.Builder request, URI uri) throws IOException {
    HttpResponse<byte[]> response;
    try {
      response =
          client.send(
              request.timeout(readTimeout).header("Accept", "application/json").build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + shown(uri));
    } catch (IOException e) {
      throw new IOException(shown(uri) + " did not answer (" + e.getClass().getSimpleName() + ")");
    }
    byte[] body = response.body();
    if (body.length > LARGEST) {
      throw new IOException(shown(uri) + " answered more than " + LARGEST + " bytes");
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      throw new IOException(
          shown(uri) + " answered " + response.statusCode() + " without a JSON object");
    }
    if (response.statusCode() != 200 && !json.has("error")) {
      throw new IOException(shown(uri) + " answered " + response.statusCode());
    }
    return json;
  }

  /** The address without its query, which could hold a code. */
  private static String shown(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }
}

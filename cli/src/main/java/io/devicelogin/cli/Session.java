package io.devicelogin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.devicelogin.cli.profile.Profile;
import io.devicelogin.cli.store.TokenStore;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.http.HttpSettings;
import io.devicelogin.client.provider.Provider;
import io.devicelogin.client.provider.Providers;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Building a {@link DeviceLogin} from a profile, and the token housekeeping the commands share. */
final class Session {
  /** Refresh an access token this close to its expiry before handing it out. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

  private Session() {}

  static Provider provider(Profile profile, Map<String, String> env) {
    if (profile.issuer().isPresent()) {
      return Providers.discover(URI.create(profile.issuer().get()));
    }
    String name =
        profile
            .provider()
            .orElseThrow(
                () -> new UsageException("no issuer: give --issuer URL or --provider NAME"));
    return switch (name) {
      case "github" -> Providers.github();
      case "workos" -> Providers.workos();
      case "google" -> Providers.google();
      case "entra" ->
          Providers.entra(env.getOrDefault("DEVICELOGIN_ENTRA_TENANT", "organizations"));
      default ->
          throw new UsageException(
              "unknown provider '" + name + "': github, workos, entra or google");
    };
  }

  /** Scopes as a person writes them, separated by spaces, each once; none for null or blank. */
  static Scope scopes(String scope) {
    return scope == null ? Scope.empty() : Scope.parse(scope.strip());
  }

  static DeviceLogin login(
      Profile profile, Environment env, LoginListener listener, PollingPolicy polling) {
    return login(profile, env, listener, polling, Optional.empty());
  }

  /** As above, naming this machine in the device authorization request ({@code device_name}). */
  static DeviceLogin login(
      Profile profile,
      Environment env,
      LoginListener listener,
      PollingPolicy polling,
      Optional<String> deviceName) {
    DeviceLogin.Builder builder =
        DeviceLogin.builder()
            .deviceName(deviceName.orElse(null))
            .provider(provider(profile, env.vars()))
            .clientId(profile.clientId())
            .scope(profile.scopes())
            .clock(env.clock())
            .listener(listener)
            .polling(polling);
    try {
      builder.http(HttpSettings.fromEnvironment(env.vars()));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return builder.build();
  }

  /**
   * The tokens to use now: refreshed (and the rotated refresh token stored at once) when the access
   * token is expired or about to be; narrowed when {@code scope} asks for less, without storing the
   * narrower access token.
   */
  static TokenSet fresh(
      DeviceLogin login, TokenSet held, Scope scope, Consumer<TokenSet> store, Environment env) {
    return fresh(login, held, scope, store, env, Supplier::get, () -> Optional.of(held));
  }

  /**
   * As {@link #fresh(DeviceLogin, TokenSet, Scope, Consumer, Environment)}, with the refresh run
   * inside {@code exclusive} (one refresh per profile at a time, across processes) and the stored
   * tokens read again through {@code reload} once inside: a command that waited while another
   * refreshed uses that command's tokens, because the refresh token it read before waiting has been
   * rotated away, and presenting it again would make the server revoke the login (reuse detection,
   * RFC 9700 §4.14.2).
   */
  static TokenSet fresh(
      DeviceLogin login,
      TokenSet held,
      Scope scope,
      Consumer<TokenSet> store,
      Environment env,
      Exclusive exclusive,
      Supplier<Optional<TokenSet>> reload) {
    boolean expiring = held.expiresWithin(EXPIRY_MARGIN, env.clock());
    boolean narrower = !scope.isEmpty() && !scope.equals(held.scope());
    if (!expiring && !narrower) {
      // A token the person revoked in the browser still looks fresh here: ask the server (a read,
      // so parallel commands cannot race each other as they would by rotating the refresh token).
      if (userinfoStatus(login, held) != 401) {
        return held;
      }
      expiring = true;
    }
    if (held.refreshToken().isEmpty()) {
      if (narrower) {
        throw new UsageException("a narrower token needs a refresh token, and this login has none");
      }
      throw new NotLoggedInException(
          "the access token has expired and there is no refresh token; run 'devicelogin login'");
    }
    boolean narrowing = narrower;
    try {
      return exclusive.run(
          () -> {
            TokenSet current =
                reload
                    .get()
                    .orElseThrow(
                        () ->
                            new NotLoggedInException(
                                "not logged in (logged out"
                                    + " meanwhile); run 'devicelogin login'"));
            boolean refreshedMeanwhile =
                !current.accessToken().equals(held.accessToken())
                    || !current.refreshToken().equals(held.refreshToken());
            if (refreshedMeanwhile
                && !narrowing
                && !current.expiresWithin(EXPIRY_MARGIN, env.clock())) {
              return current;
            }
            TokenSet refreshed =
                login.refresh(current, narrowing ? scope : Scope.empty(), Cancellation.none());
            store.accept(
                withSubject(
                    narrowing ? keepAccess(current, refreshed) : refreshed, subjectOf(current)));
            return refreshed;
          });
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    } catch (OAuthErrorException e) {
      if ("invalid_grant".equals(e.code())) {
        throw new NotLoggedInException(
            "the server no longer accepts this login (revoked or expired);"
                + " run 'devicelogin login'");
      }
      throw e;
    }
  }

  /** Runs work while holding a lock; {@code Supplier::get} holds none. */
  @FunctionalInterface
  interface Exclusive {
    TokenSet run(Supplier<TokenSet> work);
  }

  /**
   * The rotated refresh token with the held access token, marked as expired: a narrower access
   * token is not stored, and some servers (Spring Authorization Server) keep one access token per
   * grant, so the narrowing refresh may have ended the held one. The next plain use refreshes at
   * the full scope instead of handing it out.
   */
  private static TokenSet keepAccess(TokenSet held, TokenSet refreshed) {
    return new TokenSet(
        held.accessToken(),
        refreshed.refreshToken().orElse(null),
        held.idToken().orElse(null),
        held.tokenType(),
        held.issuedAt(),
        refreshed.issuedAt(),
        held.scope(),
        held.additional());
  }

  static String subjectOf(TokenSet tokens) {
    JsonNode s = tokens.additional().get(TokenStore.SUBJECT);
    return s == null ? null : s.asText();
  }

  static TokenSet withSubject(TokenSet tokens, String subject) {
    if (subject == null) {
      return tokens;
    }
    Map<String, JsonNode> additional = new LinkedHashMap<>(tokens.additional());
    additional.put(TokenStore.SUBJECT, TextNode.valueOf(subject));
    return tokens.withAdditional(additional);
  }

  /**
   * Who the tokens are for: the userinfo endpoint's {@code preferred_username} or {@code sub}, else
   * the access token's {@code sub} claim when it is a JWT (read for display, not trusted).
   */
  static Optional<String> discoverSubject(DeviceLogin login, TokenSet tokens) {
    Optional<HttpResponse<String>> response = userinfo(login, tokens);
    if (response.isPresent() && response.get().statusCode() == 200) {
      try {
        JsonNode json = Json.parseObject(response.get().body());
        String name = json.path("preferred_username").asText(json.path("sub").asText(""));
        if (!name.isEmpty()) {
          return Optional.of(name);
        }
      } catch (RuntimeException e) {
        // Display only: fall back to the token's own claim.
      }
    }
    return jwtSubject(tokens.accessToken());
  }

  /**
   * The userinfo endpoint's status for these tokens; 0 when there is none or it cannot be reached.
   */
  static int userinfoStatus(DeviceLogin login, TokenSet tokens) {
    return userinfo(login, tokens).map(HttpResponse::statusCode).orElse(0);
  }

  private static Optional<HttpResponse<String>> userinfo(DeviceLogin login, TokenSet tokens) {
    try {
      Optional<URI> userinfo = login.metadata().userinfoEndpoint();
      if (userinfo.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .build()
              .send(
                  HttpRequest.newBuilder(userinfo.get())
                      .timeout(Duration.ofSeconds(10))
                      .header(
                          "Authorization",
                          tokens.tokenType().scheme()
                              + " "
                              + tokens.accessToken().revealForTransmission())
                      .header("Accept", "application/json")
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<String> jwtSubject(Secret token) {
    String[] parts = token.revealForTransmission().split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode claims =
          Json.parseObject(
              new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      String sub = claims.path("sub").asText("");
      return sub.isEmpty() ? Optional.empty() : Optional.of(sub);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}

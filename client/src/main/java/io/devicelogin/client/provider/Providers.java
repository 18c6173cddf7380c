package io.devicelogin.client.provider;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.metadata.MetadataDiscovery;
import io.devicelogin.client.wire.GrantType;
import io.devicelogin.client.wire.OAuthError;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The provider profiles this library knows.
 *
 * <p>A profile fixes the endpoints of a provider that publishes no usable RFC 8414 metadata for the
 * device flow, and its Javadoc records how that provider departs from RFC 8628, as its
 * documentation shows. The departures that the client absorbs without help from a profile (a JSON
 * {@code error} member under any HTTP status, Google's {@code verification_url}, WorkOS's missing
 * {@code token_type}) are handled by the wire types; the spelling of granted scopes (GitHub's
 * commas, Google's names for {@code email} and {@code profile}) and of errors (Entra's {@code
 * authorization_declined}, GitHub's {@code token_expired}) by the profile ({@link
 * Provider#grantedScope}, {@link Provider#widening}, {@link Provider#standardError}). Each profile
 * has a contract test that drives a whole login against a local server answering in the provider's
 * documented wire format.
 *
 * <p>Every factory that takes a base URI exists so that tests, proxies and sovereign clouds can
 * point the profile elsewhere. A base must use {@code https}, except to a loopback address.
 */
public final class Providers {
  private static final String DEVICE_CODE_GRANT = GrantType.DEVICE_CODE.value();
  private static final String REFRESH_TOKEN_GRANT = GrantType.REFRESH_TOKEN.value();

  /** GitHub.com; a GitHub Enterprise Server serves the same paths on its own host. */
  public static final URI GITHUB = URI.create("https://github.com");

  /** The WorkOS API. */
  public static final URI WORKOS = URI.create("https://api.workos.com");

  /** The Microsoft Entra ID authority of the global cloud. */
  public static final URI ENTRA = URI.create("https://login.microsoftonline.com");

  /** Google's OAuth 2.0 endpoints. */
  public static final URI GOOGLE = URI.create("https://oauth2.googleapis.com");

  private Providers() {}

  /** Any server that publishes RFC 8414 or OpenID Connect metadata with a device endpoint. */
  public static Provider discover(URI issuer) {
    Objects.requireNonNull(issuer, "issuer");
    return new Provider() {
      @Override
      public String name() {
        return issuer.toString();
      }

      @Override
      public AuthorizationServerMetadata resolve(
          MetadataDiscovery discovery, Cancellation cancellation) {
        return discovery.discover(issuer, cancellation);
      }
    };
  }

  /**
   * GitHub (OAuth Apps and GitHub Apps) at {@link #GITHUB}.
   *
   * @see #github(URI)
   */
  public static Provider github() {
    return github(GITHUB);
  }

  /**
   * GitHub's device flow at {@code base} (GitHub.com or a GitHub Enterprise Server host):
   *
   * <ul>
   *   <li>device authorization: {@code POST {base}/login/device/code}; token: {@code POST
   *       {base}/login/oauth/access_token}. The device flow must be enabled in the app's settings,
   *       or the first request fails with {@code device_flow_disabled};
   *   <li>both answer {@code application/x-www-form-urlencoded} unless the request says {@code
   *       Accept: application/json}, which this library always sends;
   *   <li>the response has {@code verification_uri} ({@code https://github.com/login/device}) and
   *       no {@code verification_uri_complete}: the person types the user code;
   *   <li>the token endpoint answers its errors with HTTP 200 and an {@code error} member: {@code
   *       authorization_pending}, {@code slow_down} (with the new {@code interval}, 5 s more than
   *       the last), {@code expired_token}, {@code access_denied}, {@code incorrect_device_code},
   *       {@code incorrect_client_credentials}, {@code unsupported_grant_type}, {@code
   *       device_flow_disabled}; the polling engine reads the {@code error} member whatever the
   *       status;
   *   <li>{@code scope} is requested space-delimited but granted comma-separated ({@code
   *       "repo,gist"}), which this profile reads as separate scopes; tokens of OAuth Apps do not
   *       expire, while those of GitHub Apps come with {@code expires_in}, a {@code refresh_token}
   *       and an empty {@code scope};
   *   <li>no client secret is needed for the device flow, and there is no RFC 7009 revocation
   *       endpoint for a public client (deleting a token through the REST API needs the app's
   *       secret), so {@link io.devicelogin.client.DeviceLogin#revoke} reports it as not supported.
   * </ul>
   */
  public static Provider github(URI base) {
    EndpointUris.checkBase(base, "the GitHub base URI");
    return new GitHubProvider(
        AuthorizationServerMetadata.builder(EndpointUris.append(base, "/login/oauth/access_token"))
            .deviceAuthorizationEndpoint(EndpointUris.append(base, "/login/device/code"))
            // refresh_token: only GitHub Apps with expiring user tokens issue refresh tokens.
            .grantTypesSupported(List.of(DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT))
            .build());
  }

  /**
   * WorkOS CLI Auth (AuthKit) at {@link #WORKOS}.
   *
   * @see #workos(URI)
   */
  public static Provider workos() {
    return workos(WORKOS);
  }

  /**
   * WorkOS CLI Auth, the device flow of WorkOS User Management, at {@code apiBase}:
   *
   * <ul>
   *   <li>device authorization: {@code POST {apiBase}/user_management/authorize/device} with {@code
   *       client_id}; token: {@code POST {apiBase}/user_management/authenticate} with {@code
   *       grant_type=urn:ietf:params:oauth:grant-type:device_code}, {@code device_code} and {@code
   *       client_id}. Both accept form-encoded bodies (WorkOS's own guide sends them so) as well as
   *       JSON; no API key is involved;
   *   <li>the response carries {@code verification_uri} and {@code verification_uri_complete} on
   *       the environment's AuthKit domain, {@code expires_in} (300 s) and {@code interval} (5 s);
   *   <li>errors are RFC style, HTTP 400 with {@code error} and {@code error_description}: {@code
   *       authorization_pending}, {@code slow_down}, {@code access_denied}, {@code expired_token},
   *       {@code invalid_request}, {@code invalid_client}, {@code invalid_grant};
   *   <li>success is not an RFC 6749 token response: {@code user} (an object), {@code access_token}
   *       (a JWT), {@code refresh_token}, and possibly {@code organization_id}, {@code
   *       authentication_method} and {@code impersonator}; no {@code token_type} (taken as Bearer),
   *       no {@code expires_in} (the expiry is in the JWT) and no {@code scope}. The extra members
   *       arrive in {@link io.devicelogin.client.TokenSet#additional()};
   *   <li>no RFC 7009 revocation endpoint: a WorkOS session ends through its own logout API.
   * </ul>
   *
   * <p>This is the User Management flow. WorkOS Connect applications (third-party clients of an
   * AuthKit app) use standard endpoints on the AuthKit domain instead ({@code
   * /oauth2/device_authorization}, {@code /oauth2/token}), found by {@link #discover(URI)} on that
   * domain.
   */
  public static Provider workos(URI apiBase) {
    EndpointUris.checkBase(apiBase, "the WorkOS API base URI");
    return fixed(
        "workos",
        AuthorizationServerMetadata.builder(
                EndpointUris.append(apiBase, "/user_management/authenticate"))
            .deviceAuthorizationEndpoint(
                EndpointUris.append(apiBase, "/user_management/authorize/device"))
            .grantTypesSupported(List.of(DEVICE_CODE_GRANT))
            .build());
  }

  /**
   * Microsoft Entra ID (the Microsoft identity platform, v2.0 endpoints) at {@link #ENTRA}.
   *
   * @see #entra(URI, String)
   */
  public static Provider entra(String tenant) {
    return entra(ENTRA, tenant);
  }

  /**
   * Microsoft Entra ID at {@code authority}, such as a national cloud's ({@code
   * https://login.microsoftonline.us}, {@code https://login.chinacloudapi.cn}):
   *
   * <ul>
   *   <li>device authorization: {@code POST {authority}/{tenant}/oauth2/v2.0/devicecode}; token:
   *       {@code POST {authority}/{tenant}/oauth2/v2.0/token}; keys: {@code
   *       {authority}/{tenant}/discovery/v2.0/keys};
   *   <li>{@code tenant} is {@code common}, {@code organizations}, {@code consumers}, a tenant GUID
   *       or a verified domain. Those aliases are why discovery does not fit: their metadata
   *       declares a templated issuer ({@code .../{tenantid}/v2.0}) that never equals the URI it
   *       was fetched from, and the issuer of the tokens depends on the account that signs in;
   *   <li>{@code scope} is required and space-separated; add {@code offline_access} for a refresh
   *       token and {@code openid} for an ID token;
   *   <li>the response has {@code verification_uri} ({@code https://microsoft.com/devicelogin}), no
   *       {@code verification_uri_complete}, and a {@code message} with instructions for the
   *       person, localised by a {@code mkt} query parameter;
   *   <li>errors are HTTP 400 with {@code error}, {@code error_description} (which embeds an {@code
   *       AADSTS} code, trace and correlation IDs), and the extra members {@code error_codes},
   *       {@code timestamp}, {@code trace_id}, {@code correlation_id} and {@code error_uri}. The
   *       documented polling errors are {@code authorization_pending}, {@code
   *       authorization_declined} (not {@code access_denied}), {@code bad_verification_code} and
   *       {@code expired_token};
   *   <li>no RFC 7009 revocation endpoint.
   * </ul>
   *
   * @throws IllegalArgumentException if {@code tenant} is not a GUID, a domain or an alias that can
   *     stand as one path segment
   */
  public static Provider entra(URI authority, String tenant) {
    EndpointUris.checkBase(authority, "the Entra authority");
    EndpointUris.checkPathSegment(tenant, "the Entra tenant");
    String prefix = "/" + tenant;
    return new FixedProvider(
        "entra",
        AuthorizationServerMetadata.builder(
                EndpointUris.append(authority, prefix + "/oauth2/v2.0/token"))
            .deviceAuthorizationEndpoint(
                EndpointUris.append(authority, prefix + "/oauth2/v2.0/devicecode"))
            .jwksUri(EndpointUris.append(authority, prefix + "/discovery/v2.0/keys"))
            .grantTypesSupported(List.of(DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT))
            .build(),
        Map.of("authorization_declined", OAuthError.ACCESS_DENIED));
  }

  /**
   * Google's "OAuth 2.0 for TV and Limited-Input Device Applications" at {@link #GOOGLE}.
   *
   * @see #google(URI)
   */
  public static Provider google() {
    return google(GOOGLE);
  }

  /**
   * Google's device flow at {@code base}:
   *
   * <ul>
   *   <li>device authorization: {@code POST {base}/device/code}; token: {@code POST {base}/token};
   *       revocation: {@code POST {base}/revoke};
   *   <li>a client of type "TVs and Limited Input devices" has a client secret that the token
   *       endpoint requires, so configure {@link
   *       io.devicelogin.client.DeviceLogin.Builder#clientSecret}; only a limited set of scopes is
   *       allowed (others fail with {@code invalid_scope});
   *   <li>the response names the page {@code verification_url} ({@code
   *       https://www.google.com/device}), not {@code verification_uri}, and has no complete form;
   *   <li>errors come with unusual statuses: {@code authorization_pending} with 428, {@code
   *       slow_down} and {@code access_denied} with 403; the polling engine goes by the {@code
   *       error} member, not the status;
   *   <li>granted scopes are space-separated but may be spelt differently from the request: {@code
   *       email} and {@code profile} come back as {@code
   *       https://www.googleapis.com/auth/userinfo.email} and {@code
   *       https://www.googleapis.com/auth/userinfo.profile}, which this profile does not report as
   *       a widening.
   * </ul>
   */
  public static Provider google(URI base) {
    EndpointUris.checkBase(base, "the Google base URI");
    return new GoogleProvider(
        AuthorizationServerMetadata.builder(EndpointUris.append(base, "/token"))
            .deviceAuthorizationEndpoint(EndpointUris.append(base, "/device/code"))
            .revocationEndpoint(EndpointUris.append(base, "/revoke"))
            .grantTypesSupported(List.of(DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT))
            .build());
  }

  /** Endpoints given explicitly. */
  public static Provider fixed(String name, AuthorizationServerMetadata metadata) {
    return new FixedProvider(name, metadata);
  }
}

/**
 * Sign-in through upstream OpenID Connect providers: the authorization code flow with PKCE, {@code
 * state} and {@code nonce} ({@link io.devicelogin.server.upstream.SignInFlows}), the provider's
 * discovery document and keys fetched lazily ({@link io.devicelogin.server.upstream.Discovery},
 * {@link io.devicelogin.server.upstream.UpstreamKeys}), the whole ID token check ({@link
 * io.devicelogin.server.upstream.IdTokenCheck}) and the accounts linked to {@code (upstream,
 * subject)} ({@link io.devicelogin.server.upstream.LinkedAccounts}). {@link
 * io.devicelogin.server.upstream.UpstreamSignIn} is what the pages call. Nothing here knows HTTP
 * requests of the pages; refusals are {@link io.devicelogin.server.protocol.OAuthProblem}s whose
 * description the pages show.
 */
package io.devicelogin.server.upstream;

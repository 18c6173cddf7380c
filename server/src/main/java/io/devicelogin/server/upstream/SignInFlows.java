package io.devicelogin.server.upstream;

import io.devicelogin.client.Secret;
import io.devicelogin.server.crypto.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Upstream sign-ins under way, held by the browser alone in a cookie signed with HMAC-SHA256 under
 * a key of the server (shared by every instance), as {@link
 * io.devicelogin.server.identity.SessionTickets} holds sessions not yet stored.
 *
 * <p>The value is {@code f1.RANDOM.UPSTREAM.REF.ISSUED.NEXT.MAC}: a random value, the upstream's
 * name, the ref of the browser session that started it (the callback must come to the same session:
 * RFC 9700 §4.7.1, the {@code state} bound to the user agent), when it started, and the local path
 * to go on to. {@code state}, {@code nonce} and the PKCE {@code code_verifier} are each derived
 * from the random value with the key: the cookie holds none of them, and the verifier never appears
 * in any URL.
 */
final class SignInFlows {
  private static final String VERSION = "f1";
  private static final int LONGEST = 1200;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");
  private static final Pattern NEXT = Pattern.compile("[A-Za-z0-9_-]{0,800}");

  private final Secret key;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration lifetime;

  SignInFlows(Secret key, Clock clock, SecureRandom random, Duration lifetime) {
    this.key = key;
    this.clock = clock;
    this.random = random;
    this.lifetime = lifetime;
  }

  /** A sign-in under way, as its cookie carries it, with what is derived from it. */
  record Flow(
      String upstream, String sessionBinding, String next, Instant startedAt, String random) {
    /** Never shows the random value. */
    @Override
    public String toString() {
      return "Flow[upstream=" + upstream + ", startedAt=" + startedAt + "]";
    }
  }

  /** A new sign-in and the cookie value that carries it; the value is for the browser only. */
  record Started(Secret cookie, Flow flow) {}

  Started start(String upstream, String sessionRef, String next) {
    Flow flow =
        new Flow(
            upstream,
            binding(sessionRef),
            next,
            clock.instant(),
            Hashing.newSecret(random).revealForTransmission());
    String signed =
        String.join(
            ".",
            VERSION,
            flow.random(),
            upstream,
            flow.sessionBinding(),
            Long.toString(flow.startedAt().getEpochSecond()),
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(next.getBytes(StandardCharsets.UTF_8)));
    return new Started(Secret.of(signed + "." + Hashing.hmacSha256(key, signed)), flow);
  }

  /**
   * The sign-in a cookie value carries, if this server signed it and it has not ended. The
   * signature is compared in constant time, before anything it signs is believed.
   */
  Optional<Flow> open(String value) {
    if (value == null || value.length() > LONGEST || !value.startsWith(VERSION + ".")) {
      return Optional.empty();
    }
    int lastDot = value.lastIndexOf('.');
    String signed = value.substring(0, lastDot);
    if (!MessageDigest.isEqual(
        Hashing.hmacSha256(key, signed).getBytes(StandardCharsets.US_ASCII),
        value.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    String[] p = signed.split("\\.", -1);
    if (p.length != 6
        || !TOKEN.matcher(p[1]).matches()
        || !NAME.matcher(p[2]).matches()
        || !TOKEN.matcher(p[3]).matches()
        || !SECONDS.matcher(p[4]).matches()
        || !NEXT.matcher(p[5]).matches()) {
      return Optional.empty();
    }
    Instant started = Instant.ofEpochSecond(Long.parseLong(p[4]));
    Instant now = clock.instant();
    if (!now.isBefore(started.plus(lifetime)) || started.isAfter(now.plusSeconds(60))) {
      return Optional.empty();
    }
    String next = new String(Base64.getUrlDecoder().decode(p[5]), StandardCharsets.UTF_8);
    return Optional.of(new Flow(p[2], p[3], next, started, p[1]));
  }

  /** Whether the sign-in was started in the browser session of {@code sessionRef}. */
  boolean startedIn(Flow flow, String sessionRef) {
    return MessageDigest.isEqual(
        flow.sessionBinding().getBytes(StandardCharsets.US_ASCII),
        binding(sessionRef).getBytes(StandardCharsets.US_ASCII));
  }

  private String binding(String sessionRef) {
    return Hashing.hmacSha256(key, "session." + sessionRef);
  }

  /** The {@code state} of the authorization request. */
  String state(Flow flow) {
    return Hashing.hmacSha256(key, "state." + flow.random());
  }

  /** The {@code nonce} the ID token must carry. */
  String nonce(Flow flow) {
    return Hashing.hmacSha256(key, "nonce." + flow.random());
  }

  /** The PKCE {@code code_verifier} (RFC 7636 §4.1: 43 characters of base64url). */
  Secret verifier(Flow flow) {
    return Secret.of(Hashing.hmacSha256(key, "pkce." + flow.random()));
  }

  /** RFC 7636 §4.2: {@code S256}, base64url(SHA-256(ASCII(code_verifier))). */
  static String challenge(Secret verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(verifier.revealForTransmission().getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}

package io.devicelogin.server.identity;

import io.devicelogin.client.Secret;
import io.devicelogin.server.crypto.Hashing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Browser sessions not stored yet. Until a browser posts a form, its session (the ref the limits
 * count by, and the CSRF token its forms carry) is held by the browser alone, in its cookie, signed
 * with HMAC-SHA256 under a key of the server: loading pages writes nothing to the database, and a
 * cookie the server did not sign, or signed too long ago, is no session.
 *
 * <p>The value is {@code t1.NONCE.BORN.ISSUED.MAC}: a random nonce, times in epoch seconds, {@code
 * BORN} when the ticket was made and {@code ISSUED} when it was last signed. It ends an idle
 * timeout after {@code ISSUED} (it is signed again, at most once a minute, while the pages are
 * used) and a session lifetime after {@code BORN}. The ticket's CSRF token, ref and stored session
 * id are each derived from the nonce with the key, so that the cookie, a secret, holds nothing that
 * a page or the audit trail shows.
 */
public final class SessionTickets {
  private static final String VERSION = "t1";
  private static final int LONGEST = 200;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");

  /** Clocks of instances may differ by this much: a ticket signed "later" than now still counts. */
  private static final Duration SKEW = Duration.ofMinutes(1);

  private final Secret key;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration lifetime;
  private final Duration idleTimeout;
  private final Duration renewEvery;

  SessionTickets(
      Secret key,
      Clock clock,
      SecureRandom random,
      Duration lifetime,
      Duration idleTimeout,
      Duration renewEvery) {
    this.key = key;
    this.clock = clock;
    this.random = random;
    this.lifetime = lifetime;
    this.idleTimeout = idleTimeout;
    this.renewEvery = renewEvery;
  }

  /**
   * A session not yet stored, as its cookie carries it.
   *
   * @param nonce the random value the cookie carries and everything else is derived from
   */
  public record Ticket(
      String nonce, String ref, String csrfToken, Instant bornAt, Instant issuedAt) {
    /** Never shows the nonce or the CSRF token. */
    @Override
    public String toString() {
      return "Ticket[ref=" + ref + ", issuedAt=" + issuedAt + "]";
    }
  }

  /** A ticket and the cookie value that carries it; the value is for the browser only. */
  public record Issued(Secret cookie, Ticket ticket) {}

  /** A ticket for a new session: a new nonce, and so a new CSRF token and ref. */
  Issued issue() {
    Instant now = now();
    String nonce = Hashing.newSecret(random).revealForTransmission();
    return sign(ticketOf(nonce, now, now));
  }

  /** The same ticket signed now, so that its idle timeout starts again. */
  Issued renew(Ticket ticket) {
    return sign(
        new Ticket(ticket.nonce(), ticket.ref(), ticket.csrfToken(), ticket.bornAt(), now()));
  }

  /** Whether the ticket was signed long enough ago to be signed again. */
  boolean dueForRenewal(Ticket ticket) {
    return !now().isBefore(ticket.issuedAt().plus(renewEvery));
  }

  /**
   * The ticket a cookie value carries, if this server signed it and it has not ended. The signature
   * is compared in constant time, before anything it signs is believed.
   */
  Optional<Ticket> verify(String value) {
    if (value == null || !value.startsWith(VERSION + ".") || value.length() > LONGEST) {
      return Optional.empty();
    }
    int lastDot = value.lastIndexOf('.');
    String signed = value.substring(0, lastDot);
    String mac = value.substring(lastDot + 1);
    if (!MessageDigest.isEqual(
        Hashing.hmacSha256(key, signed).getBytes(StandardCharsets.US_ASCII),
        mac.getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    String[] parts = signed.split("\\.", -1);
    if (parts.length != 4
        || !TOKEN.matcher(parts[1]).matches()
        || !SECONDS.matcher(parts[2]).matches()
        || !SECONDS.matcher(parts[3]).matches()) {
      return Optional.empty();
    }
    Instant born = Instant.ofEpochSecond(Long.parseLong(parts[2]));
    Instant issued = Instant.ofEpochSecond(Long.parseLong(parts[3]));
    Instant now = now();
    if (issued.isAfter(now.plus(SKEW))
        || born.isAfter(issued)
        || !now.isBefore(issued.plus(idleTimeout))
        || !now.isBefore(born.plus(lifetime))) {
      return Optional.empty();
    }
    return Optional.of(ticketOf(parts[1], born, issued));
  }

  /** When a ticket stops being a session, at the latest. */
  Instant endOf(Ticket ticket) {
    Instant idle = ticket.issuedAt().plus(idleTimeout);
    Instant whole = ticket.bornAt().plus(lifetime);
    return idle.isBefore(whole) ? idle : whole;
  }

  private Issued sign(Ticket ticket) {
    String signed =
        String.join(
            ".",
            VERSION,
            ticket.nonce(),
            Long.toString(ticket.bornAt().getEpochSecond()),
            Long.toString(ticket.issuedAt().getEpochSecond()));
    return new Issued(Secret.of(signed + "." + Hashing.hmacSha256(key, signed)), ticket);
  }

  /**
   * The id of the stored session of a ticket: the same for every first post of one ticket (two
   * tabs, a double click), so that they all get one session, and the counts of one ref.
   */
  Secret sessionIdOf(Ticket ticket) {
    return Secret.of(Hashing.hmacSha256(key, "session." + ticket.nonce()));
  }

  private Ticket ticketOf(String nonce, Instant born, Instant issued) {
    return new Ticket(nonce, refOf(nonce), Hashing.hmacSha256(key, "csrf." + nonce), born, issued);
  }

  /** A ref shaped as a random UUID, from the first 128 bits of the nonce's HMAC under the key. */
  private String refOf(String nonce) {
    ByteBuffer bits =
        ByteBuffer.wrap(Base64.getUrlDecoder().decode(Hashing.hmacSha256(key, "ref." + nonce)));
    long high = (bits.getLong() & ~0xF000L) | 0x4000L;
    long low = (bits.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** To the second, as the cookie carries it. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}

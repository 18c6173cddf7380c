package io.devicelogin.server.config;

import java.time.Duration;

/**
 * Every default of the server, in one place. Each can be changed per client in the configuration
 * file (see {@link io.devicelogin.server.policy.ClientRegistry}) or for the server on the command
 * line.
 */
public final class Defaults {
  private Defaults() {}

  /** How long a device code and its user code live (RFC 8628 §3.2 {@code expires_in}). */
  public static final Duration DEVICE_CODE_LIFETIME = Duration.ofMinutes(10);

  /** The minimum time between polls (RFC 8628 §3.2 {@code interval}). */
  public static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

  /** What {@code slow_down} adds to a code's interval (RFC 8628 §3.5). */
  public static final Duration SLOW_DOWN_INCREMENT = Duration.ofSeconds(5);

  /**
   * A poll counts as too early only when it comes sooner than 90 % of the interval: clocks of
   * clients in virtual machines run fast, and a correct client must not be punished for it.
   */
  public static final double POLL_GRACE = 0.10;

  /** Access tokens (RFC 9068 JWTs) live this long. */
  public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(10);

  /**
   * How far ahead of this server's clock an access token's {@code iat} may be: instances sharing
   * the signing key have clocks that differ by this much at most.
   */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  /** A refresh token unused for this long expires. */
  public static final Duration REFRESH_IDLE_LIFETIME = Duration.ofDays(30);

  /** A grant's refresh tokens stop working this long after approval, whatever their use. */
  public static final Duration REFRESH_MAX_LIFETIME = Duration.ofDays(90);

  /** Browser sessions of the verification and account pages end this long after sign-in. */
  public static final Duration BROWSER_SESSION_LIFETIME = Duration.ofHours(8);

  /**
   * A browser session unused for this long ends before its lifetime: a browser left signed in on a
   * shared machine is not signed in for the rest of the day. A form's CSRF token, before the form
   * is first posted, lives as long.
   */
  public static final Duration BROWSER_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);

  /**
   * A session's last use is written at most this often, so that the idle timeout does not cost a
   * database write per request: a session may thus end up to this much later than its timeout.
   */
  public static final Duration BROWSER_SESSION_SEEN_EVERY = Duration.ofMinutes(1);

  /**
   * Anonymous browser sessions stored at once per address (the first form post of a browser stores
   * its session). A session is anonymous only between that post and sign-in, which a person does in
   * a minute or two, and an abandoned one ends after the idle timeout: 50 is many people behind one
   * NAT entering codes within half an hour, while one address can fill the table with no more than
   * 50 rows (about 15 KB) at a time.
   */
  public static final int ANONYMOUS_SESSIONS_PER_ADDRESS = 50;

  /**
   * Administrators' actions ({@code /admin}) need a password typed this recently in the session, at
   * sign-in or when asked again: a browser left signed in is not enough to act as an admin.
   */
  public static final Duration ADMIN_REAUTHENTICATION = Duration.ofMinutes(10);

  /** Wrong user codes allowed per browser session within the window. */
  public static final int WRONG_CODES_ALLOWED = 5;

  /**
   * Wrong user codes allowed per address group (an IPv4 address, an IPv6 /64) within the window,
   * from all its sessions together: six sessions' worth, so that one person's typos behind a shared
   * NAT or on a demo network do not pause everyone else there. Guessing stays hopeless: 30 guesses
   * per 15 minutes is 2,880 a day, against 20^8 (about 2.6 × 10^10) codes of which a few live at a
   * time (RFC 8628 §5.1).
   */
  public static final int WRONG_CODES_ALLOWED_PER_ADDRESS = 6 * WRONG_CODES_ALLOWED;

  /** The window in which wrong user codes are counted. */
  public static final Duration WRONG_CODE_WINDOW = Duration.ofMinutes(15);

  /** Failed sign-ins allowed per browser session, and per IP address, within the window. */
  public static final int SIGN_IN_FAILURES_ALLOWED = 10;

  /** The window in which failed sign-ins are counted. */
  public static final Duration SIGN_IN_WINDOW = Duration.ofMinutes(15);

  /**
   * Sign-ins of any outcome allowed per browser session, and per IP address, within {@link
   * #SIGN_IN_WINDOW}: each costs a password hash, and knowing one password must not buy unlimited
   * hashes.
   */
  public static final int SIGN_INS_ALLOWED = 30;

  /**
   * Failed sign-ins of one account within {@link #SIGN_IN_WINDOW} before its next sign-in waits:
   * per account, so that guessing from many addresses is slowed too.
   */
  public static final int ACCOUNT_FAILURES_BEFORE_DELAY = 5;

  /** The first wait of an account's sign-in after those failures; it doubles with each more. */
  public static final Duration ACCOUNT_FIRST_DELAY = Duration.ofSeconds(1);

  /**
   * The longest an account's sign-in waits after its latest failure: the account is slowed, never
   * locked, so that nobody can keep its owner out by typing wrong passwords for them.
   */
  public static final Duration ACCOUNT_LONGEST_DELAY = Duration.ofMinutes(5);

  /** What one Argon2id password hash holds in memory while it runs (see {@code PasswordHasher}). */
  public static final long PASSWORD_HASH_BYTES = 19L * 1024 * 1024;

  /**
   * Password hashes computed at once: one per processor (more only queue for the CPU while each
   * holds its memory), and never more than a quarter of the heap can hold.
   */
  public static final int CONCURRENT_PASSWORD_HASHES =
      (int)
          Math.max(
              1,
              Math.min(
                  Runtime.getRuntime().availableProcessors(),
                  Runtime.getRuntime().maxMemory() / 4 / PASSWORD_HASH_BYTES));

  /**
   * How long a sign-in waits for one of those before it is answered 503 with this as its {@code
   * Retry-After}: a hash takes a fraction of a second, so a longer queue is an attack.
   */
  public static final Duration PASSWORD_HASH_WAIT = Duration.ofSeconds(1);

  /** Device authorization requests allowed per IP address per minute. */
  public static final int DEVICE_REQUESTS_PER_IP_PER_MINUTE = 30;

  /** Device authorization requests allowed per client per minute, across all addresses. */
  public static final int DEVICE_REQUESTS_PER_CLIENT_PER_MINUTE = 600;

  /**
   * An address group's fair share of a client's requests per minute: the requests of a group that
   * has asked at most this many times in the minute may use the part of the client's budget kept
   * back from busier groups ({@link #DEVICE_REQUESTS_RESERVED_FRACTION}). A person signing in asks
   * once, or a few times after a typo or a timeout.
   */
  public static final int DEVICE_REQUESTS_FAIR_SHARE_PER_IP = 3;

  /**
   * The part of a client's budget per minute kept for address groups within their fair share: a
   * quarter, so that a flood from a few groups can use at most three quarters of it.
   */
  public static final double DEVICE_REQUESTS_RESERVED_FRACTION = 0.25;

  /**
   * The {@code Retry-After} of the 503 answered while the server starts, in seconds: the whole
   * start takes about one on two cores (bench/RESULTS.md, start-up).
   */
  public static final String RETRY_AFTER_WHILE_STARTING = "1";

  /**
   * How long a request waits for a database connection before it is answered 503: long enough to
   * ride out a busy pool, short enough that a database outage does not hold a thread per request.
   */
  public static final Duration DATABASE_CONNECTION_WAIT = Duration.ofSeconds(5);

  /**
   * The {@code Retry-After} of the 503 answered while the database cannot be reached, in seconds.
   */
  public static final String RETRY_AFTER_WHILE_DATABASE_DOWN = "5";

  /** The largest request body an OAuth endpoint reads. */
  public static final int MAX_FORM_BYTES = 16 * 1024;

  /**
   * A request's headers and body must all be in within this of its first byte: a sender that
   * trickles a body holds a thread while it does. A form of 16 KiB takes milliseconds.
   */
  public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);

  /**
   * While a body is read, it must arrive at least this fast (bytes a second, on average since the
   * headers): a trickle is cut before the deadline.
   */
  public static final long MIN_BODY_BYTES_PER_SECOND = 256;

  /**
   * Connections open at once from one address (trusted proxies excepted): a browser opens six, a
   * busy host of CLIs a few dozen.
   */
  public static final int CONNECTIONS_PER_ADDRESS = 64;

  /** The longest single parameter value an OAuth endpoint accepts. */
  public static final int MAX_PARAMETER_LENGTH = 4096;

  /**
   * The characters (code points) of a {@code device_name} kept; a longer one is cut. A host name
   * and OS fit, and the consent page stays readable.
   */
  public static final int DEVICE_NAME_LENGTH = 100;

  /** The port the server listens on when none is given. */
  public static final int PORT = 8080;

  /** The address it listens on: loopback only, until someone asks for more with {@code --host}. */
  public static final String HOST = "127.0.0.1";

  /** Where the embedded H2 database lives, relative to the working directory. */
  public static final String DATA_DIR = "devicelogin-data";

  /**
   * How long {@code /healthz} waits for the database's {@code SELECT 1} before answering 503: a
   * probe must answer well within a load balancer's timeout even when the pool is waiting for a
   * database that no longer answers.
   */
  public static final Duration HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(2);

  /** The scopes asked of an upstream identity provider when its config names none. */
  public static final java.util.List<String> UPSTREAM_SCOPES =
      java.util.List.of("openid", "email", "profile");

  /** How long a person has to come back from an upstream identity provider's sign-in. */
  public static final Duration UPSTREAM_SIGN_IN_LIFETIME = Duration.ofMinutes(10);

  /** How long connecting to an upstream identity provider may take. */
  public static final Duration UPSTREAM_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** How long an upstream identity provider may take to answer once connected. */
  public static final Duration UPSTREAM_READ_TIMEOUT = Duration.ofSeconds(10);

  /**
   * After an upstream's discovery document or keys could not be fetched, the next try waits this
   * long: a broken upstream is not asked again at every click.
   */
  public static final Duration UPSTREAM_RETRY_AFTER = Duration.ofSeconds(10);

  /**
   * An ID token signed by a key the cached JWKS does not hold makes the keys be fetched again, at
   * most this often: a rotation is picked up, a stream of made-up {@code kid}s is not a stream of
   * fetches.
   */
  public static final Duration UPSTREAM_JWKS_REFETCH_EVERY = Duration.ofSeconds(30);

  /** The keys of an upstream are fetched again after this, even when every kid is known. */
  public static final Duration UPSTREAM_JWKS_LIFETIME = Duration.ofHours(1);

  /**
   * How far the clocks of an upstream and this server may differ for {@code exp} and {@code iat}.
   */
  public static final Duration UPSTREAM_CLOCK_SKEW = Duration.ofSeconds(60);
}

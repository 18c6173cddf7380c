package io.devicelogin.bench.scenario;

import io.devicelogin.bench.load.HttpLoad;
import io.devicelogin.bench.load.HttpLoad.Options;
import io.devicelogin.bench.load.HttpLoad.Session;
import io.devicelogin.bench.load.LoadResult;
import io.devicelogin.bench.load.Requests;
import io.devicelogin.bench.load.Sessions;
import io.devicelogin.bench.target.DeviceLoginTarget;
import io.devicelogin.bench.target.Target;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load scenarios of the issue, each one closed loop over real sockets: pending polls, device
 * authorization requests, token issuance, refresh with rotation, and introspection.
 */
public final class Scenarios {
  /** The device grant's {@code grant_type}. */
  public static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  private static final Duration NO_END = Duration.ofHours(1);

  private Scenarios() {}

  /** A device authorization the harness asked for. */
  public record IssuedCode(String deviceCode, String userCode) {}

  /** The tokens of one redeemed device code. */
  public record IssuedTokens(String accessToken, String refreshToken) {}

  /** What token issuance measured, and the tokens it received. */
  public record Issuance(LoadResult load, List<IssuedTokens> tokens) {}

  static InetSocketAddress address(URI uri) {
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  /** A measured run against {@code endpoint}, reading the server's CPU time too. */
  private static Options measured(
      Target target, URI endpoint, int connections, Duration warmup, Duration duration) {
    return new Options(address(endpoint), connections, 1, warmup, duration)
        .withServer(target.pid());
  }

  /** A run that lasts until every session has sent all it had: set-up, or counted in full. */
  private static Options untilDone(URI endpoint, int connections) {
    return new Options(address(endpoint), connections, 1, Duration.ZERO, NO_END);
  }

  /** The token request that polls for, or redeems, {@code deviceCode}. */
  private static byte[] devicePoll(Target target, String deviceCode) {
    return Requests.formPost(
        target.tokenEndpoint(),
        "grant_type="
            + Requests.encode(DEVICE_GRANT)
            + "&device_code="
            + Requests.encode(deviceCode)
            + "&client_id="
            + Requests.encode(target.clientId()),
        null);
  }

  private static byte[] deviceAuthorization(Target target) {
    return Requests.formPost(
        target.deviceAuthorizationEndpoint(), target.deviceAuthorizationForm(), null);
  }

  /** Asks {@code target} for {@code count} device authorizations (set-up, not measured). */
  public static List<IssuedCode> issueCodes(Target target, int count, int connections) {
    ConcurrentLinkedQueue<IssuedCode> codes = new ConcurrentLinkedQueue<>();
    AtomicInteger left = new AtomicInteger(count);
    byte[] request = deviceAuthorization(target);
    LoadResult r =
        HttpLoad.run(
            untilDone(target.deviceAuthorizationEndpoint(), connections),
            c ->
                Sessions.of(
                    () -> left.getAndDecrement() > 0 ? request : null,
                    (status, body) -> {
                      String device = Requests.jsonString(body, "device_code");
                      String user = Requests.jsonString(body, "user_code");
                      if (status == 200 && device != null && user != null) {
                        codes.add(new IssuedCode(device, user));
                      } else {
                        left.incrementAndGet();
                      }
                    }),
            Requests::oauthKind);
    if (codes.size() < count) {
      throw new IllegalStateException(
          target.name()
              + " issued "
              + codes.size()
              + " of "
              + count
              + " device codes: "
              + r.kinds()
              + (r.firstError() == null ? "" : "; " + r.firstError()));
    }
    return new ArrayList<>(codes);
  }

  /** Device authorization requests, measured. */
  public static LoadResult deviceAuthorizations(
      Target target, int connections, Duration warmup, Duration duration) {
    return deviceAuthorizations(target, connections, warmup, duration, code -> {});
  }

  /**
   * Device authorization requests, measured, handing every device code issued (in the warm-up too)
   * to {@code issued}.
   */
  public static LoadResult deviceAuthorizations(
      Target target,
      int connections,
      Duration warmup,
      Duration duration,
      java.util.function.Consumer<String> issued) {
    byte[] request = deviceAuthorization(target);
    return HttpLoad.run(
        measured(target, target.deviceAuthorizationEndpoint(), connections, warmup, duration),
        c ->
            Sessions.of(
                () -> request,
                (status, body) -> {
                  String code = status == 200 ? Requests.jsonString(body, "device_code") : null;
                  if (code != null) {
                    issued.accept(code);
                  }
                }),
        Requests::oauthKind);
  }

  /**
   * Polls of the token endpoint with device codes nobody has approved, taken in rotation: each code
   * comes round again only after every other code has been polled once.
   */
  public static LoadResult pendingPolls(
      Target target,
      List<String> deviceCodes,
      int connections,
      Duration warmup,
      Duration duration) {
    byte[][] requests = new byte[deviceCodes.size()][];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = devicePoll(target, deviceCodes.get(i));
    }
    return HttpLoad.run(
        measured(target, target.tokenEndpoint(), connections, warmup, duration),
        Sessions.rotation(requests),
        Requests::oauthKind);
  }

  /** Approves {@code codes} through the pages (set-up, not measured), with a few people at once. */
  public static void approve(DeviceLoginTarget target, List<IssuedCode> codes, int people) {
    ConcurrentLinkedQueue<IssuedCode> queue = new ConcurrentLinkedQueue<>(codes);
    ExecutorService pool = Executors.newFixedThreadPool(people);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int p = 0; p < people; p++) {
        running.add(
            pool.submit(
                () -> {
                  PageApprover person =
                      new PageApprover(target.base(), "demo", DeviceLoginTarget.DEMO_PASSWORD);
                  for (IssuedCode code = queue.poll(); code != null; code = queue.poll()) {
                    person.approve(code.userCode());
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "approval failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Redeems approved device codes, each once: JWT signing and the database writes included. */
  public static Issuance issuance(Target target, List<IssuedCode> approved, int connections) {
    ConcurrentLinkedQueue<byte[]> requests = new ConcurrentLinkedQueue<>();
    for (IssuedCode code : approved) {
      requests.add(devicePoll(target, code.deviceCode()));
    }
    List<IssuedTokens> tokens = Collections.synchronizedList(new ArrayList<>());
    LoadResult load =
        HttpLoad.run(
            untilDone(target.tokenEndpoint(), connections).withServer(target.pid()),
            c ->
                Sessions.of(
                    requests::poll,
                    (status, body) -> {
                      if (status == 200) {
                        tokens.add(
                            new IssuedTokens(
                                Requests.jsonString(body, "access_token"),
                                Requests.jsonString(body, "refresh_token")));
                      }
                    }),
            Requests::oauthKind);
    return new Issuance(load, new ArrayList<>(tokens));
  }

  /**
   * Refresh with rotation: each connection follows its own grant, presenting the refresh token the
   * last answer gave it, as a CLI does.
   */
  public static LoadResult refresh(
      Target target,
      List<String> refreshTokens,
      int connections,
      Duration warmup,
      Duration duration) {
    if (refreshTokens.size() < connections) {
      throw new IllegalArgumentException(
          "one grant per connection: " + refreshTokens.size() + " < " + connections);
    }
    return HttpLoad.run(
        measured(target, target.tokenEndpoint(), connections, warmup, duration),
        c ->
            new Session() {
              private String token = refreshTokens.get(c);

              @Override
              public byte[] next() {
                return token == null
                    ? null
                    : Requests.formPost(
                        target.tokenEndpoint(),
                        "grant_type=refresh_token"
                            + "&refresh_token="
                            + Requests.encode(token)
                            + "&client_id="
                            + Requests.encode(target.clientId()),
                        null);
              }

              @Override
              public void answered(int status, byte[] body) {
                token = status == 200 ? Requests.jsonString(body, "refresh_token") : null;
              }
            },
        Requests::oauthKind);
  }

  /** Introspection by the resource server of {@code accessTokens}, in rotation. */
  public static LoadResult introspection(
      DeviceLoginTarget target,
      List<String> accessTokens,
      int connections,
      Duration warmup,
      Duration duration) {
    String basic =
        Requests.basic(DeviceLoginTarget.RESOURCE_SERVER, DeviceLoginTarget.RESOURCE_SERVER_SECRET);
    byte[][] requests = new byte[accessTokens.size()][];
    for (int i = 0; i < requests.length; i++) {
      requests[i] =
          Requests.formPost(
              target.introspectionEndpoint(),
              "token=" + Requests.encode(accessTokens.get(i)) + "&token_type_hint=access_token",
              basic);
    }
    return HttpLoad.run(
        measured(target, target.introspectionEndpoint(), connections, warmup, duration),
        Sessions.rotation(requests),
        Scenarios::activeOrNot);
  }

  /**
   * Revokes the grants of {@code refreshTokens} (RFC 7009 by the public client), set-up, not
   * measured.
   */
  public static void revoke(DeviceLoginTarget target, List<String> refreshTokens, int connections) {
    ConcurrentLinkedQueue<byte[]> requests = new ConcurrentLinkedQueue<>();
    for (String t : refreshTokens) {
      requests.add(
          Requests.formPost(
              target.revocationEndpoint(),
              "token="
                  + Requests.encode(t)
                  + "&token_type_hint=refresh_token&client_id="
                  + Requests.encode(target.clientId()),
              null));
    }
    LoadResult r =
        HttpLoad.run(
            untilDone(target.revocationEndpoint(), connections),
            c -> Sessions.sending(requests::poll),
            Requests::oauthKind);
    if (r.kinds().getOrDefault("ok", 0L) != refreshTokens.size()) {
      throw new IllegalStateException("revocation answered " + r.kinds());
    }
  }

  static String activeOrNot(int status, byte[] body) {
    if (status != 200) {
      return Requests.oauthKind(status, body);
    }
    String text = new String(body, StandardCharsets.UTF_8).replace(" ", "");
    return text.contains("\"active\":true")
        ? "active"
        : text.contains("\"active\":false") ? "inactive" : "other";
  }
}

package io.devicelogin.server.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.TestServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * User codes as the device authorization endpoint hands them out: {@code XXXX-XXXX} of the base-20
 * alphabet, found again from what a person types, and unique among live codes (a drawn code that is
 * live is drawn again; an expired one may be reused).
 */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(NoSecretsInOutput.class)
class UserCodesTest {
  @Parameter Backend backend;

  /** A SecureRandom whose {@code nextInt(20)} answers from a script while it lasts. */
  static final class ScriptedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient Deque<Integer> script = new ArrayDeque<>();

    void willDraw(String code) {
      for (char ch : code.toCharArray()) {
        script.add(UserCodeGenerator.ALPHABET.indexOf(ch));
      }
    }

    @Override
    public synchronized int nextInt(int bound) {
      return bound == 20 && !script.isEmpty() ? script.poll() : super.nextInt(bound);
    }
  }

  @Test
  void issuedCodesAreTwoGroupsOfFourLettersFoundAgainFromWhatAPersonTypes() {
    try (TestServer server = TestServer.start(backend)) {
      OAuthCalls oauth = server.oauth();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 25; i++) {
        DeviceCode code = oauth.deviceCode();
        assertThat(code.userCode()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(code.verificationUriComplete()).endsWith("?user_code=" + code.userCode());
        assertThat(seen.add(code.userCode())).isTrue();
        String typed =
            " "
                + code.userCode().toLowerCase().replace("-", " ").substring(0, 6)
                + "-"
                + code.userCode().toLowerCase().substring(6)
                + " ";
        String normalised = UserCodeGenerator.normalise(typed).orElseThrow();
        assertThat(server.context().devices().findLive(normalised))
            .get()
            .satisfies(r -> assertThat(r.userCode()).isEqualTo(code.userCode().replace("-", "")));
      }
    }
  }

  @Test
  void aDrawnCodeThatIsLiveIsDrawnAgainAndAnExpiredOneMayBeReused() {
    // Not the example code BCDF-GHJK, which is never issued (issue 13, finding 9).
    ScriptedRandom random = new ScriptedRandom();
    try (TestServer server = TestServer.start(backend, List.of(), random)) {
      OAuthCalls oauth = server.oauth();
      random.willDraw("XZXZXZXZ");
      DeviceCode first = oauth.deviceCode();
      assertThat(first.userCode()).isEqualTo("XZXZ-XZXZ");

      random.willDraw("XZXZXZXZ"); // taken: drawn again
      random.willDraw("LMNPQRST");
      DeviceCode second = oauth.deviceCode();
      assertThat(second.userCode()).isEqualTo("LMNP-QRST");

      server.clock.advance(Duration.ofMinutes(10)); // the first has expired, not yet swept
      random.willDraw("XZXZXZXZ");
      DeviceCode third = oauth.deviceCode();
      assertThat(third.userCode()).isEqualTo("XZXZ-XZXZ");
      assertThat(server.pending("XZXZXZXZ").id())
          .isNotEqualTo(
              server
                  .context()
                  .devices()
                  .find(
                      server
                          .jdbc()
                          .queryOne(
                              "SELECT id FROM device_authorizations WHERE device_code_hash = ?",
                              r -> r.getString(1),
                              Hashing.sha256(first.deviceCode()))
                          .orElseThrow())
                  .orElseThrow()
                  .id());
      assertThat(oauth.poll(first).error()).isEqualTo("expired_token");
      assertThat(oauth.poll(third).error()).isEqualTo("authorization_pending");
    }
  }

  @Test
  void aDecidedCodeIsNoLongerLive() {
    try (TestServer server = TestServer.start(backend)) {
      OAuthCalls oauth = server.oauth();
      DeviceCode approved = oauth.deviceCode();
      DeviceCode denied = oauth.deviceCode();
      server.approve(approved.userCode());
      server.deny(denied.userCode());
      assertThat(server.context().devices().findLive(approved.userCode().replace("-", "")))
          .isEmpty();
      assertThat(server.context().devices().findLive(denied.userCode().replace("-", ""))).isEmpty();
    }
  }
}

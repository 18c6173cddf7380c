package io.devicelogin.client.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What only WorkOS does ({@link WorkOSFake}): device codes that live five minutes. */
@ExtendWith(NoSecretsInOutput.class)
class WorkOSProviderTest {

  @Test
  void workosFiveMinuteCodeIsNotPolledPastItsExpiry() {
    try (WorkOSFake workos = new WorkOSFake()) {
      workos.answerDeviceCode(300, 5);
      workos.answerPolls(workos.pending());
      DeviceLogin login = workos.login().build();
      DeviceAuthorization authorization = login.start();

      ExpiredTokenException expired =
          catchThrowableOfType(ExpiredTokenException.class, () -> login.await(authorization));

      assertThat(expired.httpStatus()).as("detected by the client's clock").isZero();
      List<RecordedRequest> polls = workos.fixture.server.requests(workos.tokenPath);
      // Polls at 5.25 s, 10.5 s, … while they fit before 300 s: 57 of them, the last at 299.25 s.
      assertThat(polls).hasSize(57);
      assertThat(polls.get(polls.size() - 1).at()).isBefore(authorization.expiresAt());
      assertThat(workos.fixture.clock.instant()).isEqualTo(authorization.expiresAt());
    }
  }
}

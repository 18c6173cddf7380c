package io.devicelogin.client.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The values of {@code grant_type}: RFC 8628 §3.4 and RFC 6749 §6. */
class GrantTypeTest {

  @Test
  void theDeviceCodeGrantIsTheUrnOfRfc8628() {
    assertThat(GrantType.DEVICE_CODE.value())
        .isEqualTo("urn:ietf:params:oauth:grant-type:device_code");
    assertThat(GrantType.DEVICE_CODE).hasToString("urn:ietf:params:oauth:grant-type:device_code");
  }

  @Test
  void theRefreshGrantIsRefreshToken() {
    assertThat(GrantType.REFRESH_TOKEN.value()).isEqualTo("refresh_token");
  }

  @Test
  void everyValueParsesBackToItsGrantType() {
    for (GrantType type : GrantType.values()) {
      assertThat(GrantType.parse(type.value())).contains(type);
    }
  }

  @Test
  void valuesAreCaseSensitiveAndUnknownOnesAreNone() {
    assertThat(GrantType.parse("REFRESH_TOKEN")).isEmpty();
    assertThat(GrantType.parse("authorization_code")).isEmpty();
    assertThat(GrantType.parse("")).isEmpty();
  }
}

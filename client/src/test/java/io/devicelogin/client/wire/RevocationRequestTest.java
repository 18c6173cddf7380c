package io.devicelogin.client.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The revocation request of RFC 7009 §2.1, written and read. */
class RevocationRequestTest {

  @Test
  void theFormCarriesTheTokenThenItsHint() {
    Form form =
        new RevocationRequest(Secret.of("rt-1"), Optional.of(RevocationRequest.REFRESH_TOKEN))
            .toForm();

    assertThat(Forms.names(form)).containsExactly("token", "token_type_hint");
    assertThat(Forms.asMap(form))
        .isEqualTo(Map.of("token", "rt-1", "token_type_hint", "refresh_token"));
  }

  @Test
  void withoutAHintThereIsNoHintParameter() {
    assertThat(Forms.names(new RevocationRequest(Secret.of("t"), Optional.empty()).toForm()))
        .containsExactly("token");
  }

  @Test
  void whatIsWrittenIsReadBack() {
    for (RevocationRequest request :
        new RevocationRequest[] {
          new RevocationRequest(Secret.of("at-1"), Optional.of(RevocationRequest.ACCESS_TOKEN)),
          new RevocationRequest(Secret.of("at-1"), Optional.empty())
        }) {
      assertThat(RevocationRequest.parse(Forms.asMap(request.toForm()))).isEqualTo(request);
    }
  }

  @Test
  void anEmptyHintCountsAsNone() {
    assertThat(RevocationRequest.parse(Forms.of("token", "t", "token_type_hint", "")))
        .isEqualTo(new RevocationRequest(Secret.of("t"), Optional.empty()));
  }

  @Test
  void aRequestWithoutATokenIsInvalidRequest() {
    assertThat(Forms.refusal(() -> RevocationRequest.parse(Forms.of("token", ""))))
        .isEqualTo(Forms.missing("token"));
  }
}

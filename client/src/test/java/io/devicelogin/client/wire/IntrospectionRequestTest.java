package io.devicelogin.client.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The introspection request of RFC 7662 §2.1, written and read. */
class IntrospectionRequestTest {

  @Test
  void theFormCarriesTheTokenThenItsHint() {
    Form form = new IntrospectionRequest(Secret.of("at-1"), Optional.of("access_token")).toForm();

    assertThat(Forms.names(form)).containsExactly("token", "token_type_hint");
    assertThat(Forms.asMap(form))
        .isEqualTo(Map.of("token", "at-1", "token_type_hint", "access_token"));
  }

  @Test
  void whatIsWrittenIsReadBack() {
    for (IntrospectionRequest request :
        new IntrospectionRequest[] {
          new IntrospectionRequest(Secret.of("at-1"), Optional.of("access_token")),
          new IntrospectionRequest(Secret.of("at-1"), Optional.empty())
        }) {
      assertThat(IntrospectionRequest.parse(Forms.asMap(request.toForm()))).isEqualTo(request);
    }
  }

  @Test
  void theTokenIsASecret() {
    assertThat(new IntrospectionRequest(Secret.of("at-raw"), Optional.empty()).toString())
        .doesNotContain("raw");
  }

  @Test
  void aRequestWithoutATokenIsInvalidRequest() {
    assertThat(Forms.refusal(() -> IntrospectionRequest.parse(Forms.of("token_type_hint", "x"))))
        .isEqualTo(Forms.missing("token"));
  }
}

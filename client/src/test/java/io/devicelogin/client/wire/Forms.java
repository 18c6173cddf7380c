package io.devicelogin.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** A form as a server's reader sees it: one value a name, in order. */
final class Forms {
  private Forms() {}

  static Map<String, String> asMap(Form form) {
    Map<String, String> map = new LinkedHashMap<>();
    form.parameters()
        .forEach(
            p -> {
              if (map.put(p.getKey(), p.getValue()) != null) {
                throw new IllegalArgumentException(p.getKey() + " is repeated");
              }
            });
    return map;
  }

  /** The names of a form's parameters, in order. */
  static List<String> names(Form form) {
    return form.parameters().stream().map(Map.Entry::getKey).toList();
  }

  /** A form of name, value, name, value… */
  static Map<String, String> of(String... namesAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  /** The error a parse refuses a form with, as the server answers it. */
  static OAuthError refusal(ThrowingCallable parse) {
    Throwable thrown = catchThrowable(parse);
    assertThat(thrown).isInstanceOf(MalformedRequestException.class);
    return ((MalformedRequestException) thrown).toError();
  }

  /** The error of a request without a required parameter. */
  static OAuthError missing(String parameter) {
    return new OAuthError("invalid_request", "the parameter `" + parameter + "` is missing", null);
  }
}

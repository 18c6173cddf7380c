package io.devicelogin.client.wire;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The parameters of an {@code application/x-www-form-urlencoded} request (RFC 6749 appendix B), in
 * order; a name may repeat (RFC 8707 {@code resource}). Its {@code toString} shows names only,
 * since values include codes and tokens.
 */
public final class Form {
  private final List<Map.Entry<String, String>> parameters = new ArrayList<>();

  public static Form of() {
    return new Form();
  }

  /** Adds a parameter; a null value is left out. */
  public Form add(String name, String value) {
    if (value != null) {
      parameters.add(Map.entry(name, value));
    }
    return this;
  }

  /** Adds every parameter of {@code other}, in its order. */
  public Form addAll(Form other) {
    parameters.addAll(other.parameters);
    return this;
  }

  public List<Map.Entry<String, String>> parameters() {
    return Collections.unmodifiableList(parameters);
  }

  public boolean has(String name) {
    return parameters.stream().anyMatch(p -> p.getKey().equals(name));
  }

  /** The UTF-8 encoded body. */
  public String encode() {
    return parameters.stream()
        .map(
            p ->
                URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  @Override
  public String toString() {
    return "Form" + parameters.stream().map(Map.Entry::getKey).collect(Collectors.toList());
  }
}

package io.devicelogin.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The device authorization request (RFC 8628 §3.1): the scope and any further parameters, such as
 * {@code audience} or RFC 8707 {@code resource}, each with one or more values. Client
 * authentication ({@code client_id}, a secret) is added by whoever sends it, and read by whoever
 * receives it.
 *
 * @param scope the scope asked for; empty for none, which lets the server choose (RFC 6749 §3.3)
 * @param extraParameters further parameters, in order; none may be one the request sets itself
 * @param deviceName {@code device_name}, an extension of devicelogin: the host and OS the client
 *     runs on, such as {@code build-01 (Linux 6.1)}, shown to the person who approves so that two
 *     sessions can be told apart; servers that do not know it ignore it (RFC 6749 §3.1)
 */
public record DeviceAuthorizationRequest(
    Scope scope, Map<String, List<String>> extraParameters, Optional<String> deviceName) {
  /**
   * Parameters the request or client authentication sets; extra parameters may not replace them.
   */
  static final String DEVICE_NAME = "device_name";

  static final Set<String> RESERVED =
      Set.of("client_id", "client_secret", "scope", "grant_type", "device_code", DEVICE_NAME);

  /**
   * @throws IllegalArgumentException if an extra parameter is one of the request's own
   */
  public DeviceAuthorizationRequest {
    Objects.requireNonNull(scope, "scope");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    extraParameters.forEach(
        (name, values) -> {
          if (RESERVED.contains(name)) {
            throw new IllegalArgumentException(
                "`" + name + "` cannot be set as an extra parameter");
          }
          copy.put(name, List.copyOf(values));
        });
    extraParameters = Collections.unmodifiableMap(copy);
    Objects.requireNonNull(deviceName, "deviceName");
    deviceName = deviceName.filter(n -> !n.isBlank());
  }

  public DeviceAuthorizationRequest(Scope scope, Map<String, List<String>> extraParameters) {
    this(scope, extraParameters, Optional.empty());
  }

  public DeviceAuthorizationRequest(Scope scope) {
    this(scope, Map.of());
  }

  /** The form as sent, without client authentication. */
  public Form toForm() {
    Form form = Form.of();
    if (!scope.isEmpty()) {
      form.add("scope", scope.format());
    }
    extraParameters.forEach((name, values) -> values.forEach(value -> form.add(name, value)));
    deviceName.ifPresent(name -> form.add(DEVICE_NAME, name));
    return form;
  }

  /**
   * Reads a request. Parameters other than the scope, {@code device_name} and client authentication
   * are kept as extra parameters; the server ignores what it does not know (RFC 6749 §3.1).
   *
   * @throws MalformedRequestException {@code invalid_scope} for a scope that breaks RFC 6749 §3.3
   *     or holds spaces only
   */
  public static DeviceAuthorizationRequest parse(Map<String, String> form) {
    Scope scope = RequestParameters.scope(form);
    Map<String, List<String>> extra = new LinkedHashMap<>();
    form.forEach(
        (name, value) -> {
          if (!RESERVED.contains(name) && !value.isEmpty()) {
            extra.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
          }
        });
    return new DeviceAuthorizationRequest(
        scope, extra, Optional.ofNullable(form.get(DEVICE_NAME)).filter(n -> !n.isEmpty()));
  }
}

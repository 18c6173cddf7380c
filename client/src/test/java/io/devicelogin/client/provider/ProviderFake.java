package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.object;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.Reply;
import io.devicelogin.client.wire.GrantType;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A provider as its documentation describes it on the wire: a local server that answers as the
 * provider does, and what a login against it must look like. {@link ProviderContractTest} runs the
 * rules every provider shares on each fake; each provider's own test adds what only it does.
 */
abstract class ProviderFake implements AutoCloseable {
  /** A token endpoint answer: its HTTP status and JSON body. */
  record Answer(int status, ObjectNode body) {}

  final ContractFixture fixture = new ContractFixture();
  final String clientId;
  final String devicePath;
  final String tokenPath;
  final String deviceCode;

  /** How long its device codes live, in seconds, as documented. */
  final int lifetime;

  private final String name;
  private final Function<URI, Provider> profile;

  /**
   * @param profile the profile under test, given the base URI of its endpoints
   */
  ProviderFake(
      String name,
      Function<URI, Provider> profile,
      String clientId,
      String devicePath,
      String tokenPath,
      String codePrefix,
      int lifetime) {
    this.name = name;
    this.profile = profile;
    this.clientId = clientId;
    this.devicePath = devicePath;
    this.tokenPath = tokenPath;
    this.deviceCode = IssuedSecrets.fresh(codePrefix);
    this.lifetime = lifetime;
  }

  /** The profile under test, pointed at the local server. */
  Provider profile() {
    return profile.apply(fixture.base());
  }

  /** A login as the provider's documentation has a client make it, without scopes. */
  DeviceLogin.Builder login() {
    return fixture.login(profile(), clientId);
  }

  /** The device authorization response as documented. */
  abstract ObjectNode deviceCodeBody(int expiresIn, int interval);

  /** The HTTP status of an error answer from the token endpoint. */
  abstract int errorStatus(String code);

  /** The body of an error answer from the token endpoint, with the provider's own members. */
  abstract ObjectNode errorBody(String code);

  /** The code the provider answers when the person denies: RFC 8628 says access_denied. */
  String denial() {
    return "access_denied";
  }

  /** A documented successful token response with fresh tokens. */
  abstract ObjectNode someTokens();

  // --- the login of the provider's documentation, from codes to tokens -------------------------

  /** The login of the documentation: its client, its scopes. */
  abstract DeviceLogin.Builder documentedLogin();

  /** The token response that ends the documented login. */
  abstract ObjectNode documentedTokens();

  /** The device authorization request of the documented login, parameter by parameter. */
  abstract Map<String, List<String>> documentedCodeRequest();

  /** Every poll of the documented login, parameter by parameter. */
  Map<String, List<String>> documentedPoll() {
    Map<String, List<String>> poll = new LinkedHashMap<>();
    poll.put("grant_type", List.of(GrantType.DEVICE_CODE.value()));
    poll.put("device_code", List.of(deviceCode));
    poll.put("client_id", List.of(clientId));
    return poll;
  }

  /** What the documented login gave: the codes to show and the tokens. */
  abstract void checkDocumentedLogin(
      DeviceAuthorization authorization, TokenSet tokens, List<RecordedRequest> polls);

  // --- answering
  // ----------------------------------------------------------------------------------

  void answerDeviceCode(int expiresIn, int interval) {
    fixture.server.on(
        devicePath,
        request -> deliver(request, new Answer(200, deviceCodeBody(expiresIn, interval))));
  }

  Answer error(String code) {
    return new Answer(errorStatus(code), errorBody(code));
  }

  Answer pending() {
    return error("authorization_pending");
  }

  static Answer tokens(ObjectNode body) {
    return new Answer(200, body);
  }

  /** Polls are answered in turn; the last answer repeats. */
  void answerPolls(Answer... answers) {
    Iterator<Answer> it = List.of(answers).iterator();
    Answer last = answers[answers.length - 1];
    fixture.server.on(
        tokenPath,
        request -> {
          synchronized (it) {
            return deliver(request, it.hasNext() ? it.next() : last);
          }
        });
  }

  /** The reply to a request: the answer as JSON, unless the provider does otherwise. */
  Reply deliver(RecordedRequest request, Answer answer) {
    return Reply.json(answer.status(), answer.body());
  }

  static ObjectNode errorObject(String code, String description) {
    return object().put("error", code).put("error_description", description);
  }

  @Override
  public void close() {
    fixture.close();
  }

  @Override
  public String toString() {
    return name;
  }
}

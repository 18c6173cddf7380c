package io.devicelogin.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.slf4j.Logger.ROOT_LOGGER_NAME;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollEvent;
import io.devicelogin.client.testing.ClockSleeper;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * A complete flow (discovery, device authorization, approval, tokens, refresh, userinfo,
 * introspection, revocation, and a few errors) with every logger of ours at TRACE: no secret issued
 * appears in any log line or anything printed. {@link NoSecretsInOutput} checks every line after
 * the test; the test checks its own capture too, and that there was plenty to check.
 */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(NoSecretsInOutput.class)
class CompleteFlowLoggingTest {
  /**
   * Our loggers, and those of the libraries that hold the database's connection settings: HikariCP
   * prints its whole configuration at DEBUG, the PostgreSQL driver and Flyway their connections.
   * The PostgreSQL password is a registered secret ({@code SharedPostgres}), so any line that
   * repeats it fails the test.
   */
  private static final List<String> OURS =
      List.of(
          "io.devicelogin", "devicelogin", "com.zaxxer.hikari", "org.postgresql", "org.flywaydb");

  @Parameter Backend backend;

  private final Map<String, Level> previous = new HashMap<>();
  private final ListAppender<ILoggingEvent> capture = new ListAppender<>();

  @BeforeEach
  void everyLoggerOfOursAtTrace() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    for (String name : OURS) {
      Logger logger = logging.getLogger(name);
      previous.put(name, logger.getLevel());
      logger.setLevel(Level.TRACE);
    }
    capture.setContext(logging);
    capture.start();
    logging.getLogger(ROOT_LOGGER_NAME).addAppender(capture);
  }

  @AfterEach
  void restoreLevels() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    logging.getLogger(ROOT_LOGGER_NAME).detachAppender(capture);
    previous.forEach((name, level) -> logging.getLogger(name).setLevel(level));
  }

  @Test
  void aCompleteFlowAtTraceLevelLogsNoSecret() {
    for (String name :
        List.of(
            "io.devicelogin.server.device.DeviceAuthorizationService",
            "io.devicelogin.server.grant.TokenService",
            "io.devicelogin.server.oauth.TokenEndpoint",
            "io.devicelogin.client.DeviceLogin",
            "devicelogin.audit")) {
      assertThat(LoggerFactory.getLogger(name).isDebugEnabled()).as(name).isTrue();
    }
    List<String> connectionSettings = new ArrayList<>();
    try (TestServer server = TestServer.start(backend)) {
      // Where the database is: the URL, and its host and port alone.
      server
          .databaseUrl()
          .ifPresent(
              url -> {
                connectionSettings.add(url);
                connectionSettings.add(url.replaceFirst("^jdbc:postgresql://([^/]+)/.*$", "$1"));
              });
      OAuthCalls oauth = server.oauth();
      AtomicReference<String> userCode = new AtomicReference<>();
      DeviceLogin login =
          DeviceLogin.builder()
              .issuer(URI.create(server.issuer()))
              .clientId(TestClients.CLI)
              .scope("openid", "profile", "email", "offline_access")
              .clock(server.clock)
              .sleeper(new ClockSleeper(server.clock))
              .listener(
                  new LoginListener() {
                    @Override
                    public void polled(PollEvent event) {
                      if (event.attempt() == 2) {
                        server.approve(userCode.get());
                      }
                    }
                  })
              .build();

      DeviceAuthorization started = login.start();
      IssuedSecrets.register(started.deviceCode().revealForTransmission());
      userCode.set(started.userCode());
      TokenSet tokens = login.await(started);
      register(tokens);
      TokenSet refreshed = login.refresh(tokens);
      register(refreshed);

      assertThat(oauth.userinfo(refreshed.accessToken().revealForTransmission()).status())
          .isEqualTo(200);
      assertThat(oauth.active(refreshed.accessToken().revealForTransmission())).isTrue();

      // A few errors, each carrying a secret the server must not repeat in its logs.
      assertThat(oauth.poll(TestClients.CLI, started.deviceCode().revealForTransmission()).error())
          .isEqualTo("invalid_grant"); // replay: revokes the grant
      OAuthCalls.Tokens second = oauth.signIn();
      assertThat(oauth.poll(TestClients.OTHER_CLI, IssuedSecrets.fresh("dc-")).error())
          .isEqualTo("invalid_grant");
      assertThat(
              oauth
                  .introspectAs(
                      TestClients.RESOURCE_SERVER,
                      IssuedSecrets.fresh("wrong-"),
                      second.accessToken())
                  .status())
          .isEqualTo(401);
      assertThat(
              oauth
                  .post(
                      "/oauth2/token",
                      "grant_type=refresh_token&client_id="
                          + TestClients.CLI
                          + "&refresh_token="
                          + second.refreshToken()
                          + "&refresh_token="
                          + second.refreshToken())
                  .error())
          .isEqualTo("invalid_request");
      assertThat(oauth.refresh(TestClients.OTHER_CLI, second.refreshToken(), null).error())
          .isEqualTo("invalid_grant");
      assertThat(oauth.refresh(TestClients.CLI, second.refreshToken(), "openid admin").error())
          .isEqualTo("invalid_scope");
      assertThat(
              oauth
                  .post(
                      "/oauth2/token?refresh_token=" + second.refreshToken(),
                      "grant_type=refresh_token")
                  .error())
          .isEqualTo("invalid_request");
      OAuthCalls.Tokens third = OAuthCalls.tokens(oauth.refresh(second));
      assertThat(oauth.refresh(second).error())
          .isEqualTo("invalid_grant"); // a rotated token replayed
      assertThat(oauth.userinfo(third.accessToken()).status()).isEqualTo(401);
      OAuthCalls.Tokens fourth = oauth.signIn();
      assertThatThrownBy(() -> login.refresh(tokens)).isInstanceOf(OAuthErrorException.class);
      assertThat(oauth.revoke(TestClients.CLI, fourth.accessToken(), null).status()).isEqualTo(200);
      assertThat(login.revoke(refreshed).complete()).isTrue();
      assertThat(server.printed()).doesNotContain(server.demoPassword);
    }

    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : capture.list) {
      lines.add(
          event.getFormattedMessage()
              + " "
              + String.valueOf(
                  event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage()));
    }
    assertThat(capture.list).as("log events captured").hasSizeGreaterThan(20);
    assertThat(capture.list)
        .anyMatch(
            e ->
                e.getLoggerName().equals("devicelogin.audit")
                    && e.getFormattedMessage().contains("REPLAY_DETECTED"));
    for (String secret : IssuedSecrets.all()) {
      assertThat(lines).as("log lines").noneMatch(line -> line.contains(secret));
    }
    for (String setting : connectionSettings) {
      assertThat(lines).as("log lines").noneMatch(line -> line.contains(setting));
    }
  }

  private static void register(TokenSet tokens) {
    IssuedSecrets.register(tokens.accessToken().revealForTransmission());
    tokens.refreshToken().ifPresent(t -> IssuedSecrets.register(t.revealForTransmission()));
  }
}

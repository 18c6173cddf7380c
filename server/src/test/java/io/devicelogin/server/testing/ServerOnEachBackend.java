package io.devicelogin.server.testing;

import io.devicelogin.client.testing.NoSecretsInOutput;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class once on each {@link Backend}, against one {@link TestServer} per
 * run: started on a fresh database before the run's first test, closed (and its database dropped)
 * after its last. The run fills the class's fields marked {@link ServerUnderTest}. No secret the
 * tests issue may show up in any test's output ({@link NoSecretsInOutput}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ClassTemplate
@ExtendWith(ServerOnEachBackendExtension.class)
@ExtendWith(NoSecretsInOutput.class)
public @interface ServerOnEachBackend {
  /** More command-line options for the server, for example {@code --trusted-proxy 127.0.0.1}. */
  String[] args() default {};

  /**
   * How many minutes the server's clock moves before each test: one puts every test in a new
   * rate-limit window; none leaves the clock where the last test left it.
   */
  int minutesBeforeEachTest() default 0;
}

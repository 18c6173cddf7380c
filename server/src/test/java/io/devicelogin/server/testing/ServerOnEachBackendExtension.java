package io.devicelogin.server.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;

/** The lifecycle behind {@link ServerOnEachBackend}: one {@link Run} of the class per backend. */
final class ServerOnEachBackendExtension implements ClassTemplateInvocationContextProvider {
  @Override
  public boolean supportsClassTemplate(ExtensionContext context) {
    return AnnotationSupport.isAnnotated(context.getTestClass(), ServerOnEachBackend.class);
  }

  @Override
  public Stream<Run> provideClassTemplateInvocationContexts(ExtensionContext context) {
    ServerOnEachBackend settings =
        AnnotationSupport.findAnnotation(context.getTestClass(), ServerOnEachBackend.class)
            .orElseThrow();
    return Arrays.stream(Backend.values()).map(backend -> new Run(backend, settings));
  }

  /**
   * One run of the class: starts its server before the first test, fills the {@link
   * ServerUnderTest} fields, moves the clock before each test and closes the server after the last.
   */
  static final class Run
      implements ClassTemplateInvocationContext,
          BeforeClassTemplateInvocationCallback,
          AfterClassTemplateInvocationCallback,
          TestInstancePostProcessor,
          BeforeEachCallback {
    private final Backend backend;
    private final ServerOnEachBackend settings;
    private TestServer server;

    Run(Backend backend, ServerOnEachBackend settings) {
      this.backend = backend;
      this.settings = settings;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
      return "[" + invocationIndex + "] backend=" + backend;
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(this);
    }

    @Override
    public void beforeClassTemplateInvocation(ExtensionContext run) throws IllegalAccessException {
      server = TestServer.start(backend, List.of(settings.args()));
      fill(run.getRequiredTestClass(), null);
    }

    @Override
    public void postProcessTestInstance(Object test, ExtensionContext context)
        throws IllegalAccessException {
      fill(test.getClass(), test);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
      if (settings.minutesBeforeEachTest() > 0) {
        server.clock.advance(Duration.ofMinutes(settings.minutesBeforeEachTest()));
      }
    }

    @Override
    public void afterClassTemplateInvocation(ExtensionContext run) throws IllegalAccessException {
      if (server != null) {
        server.close();
        server = null;
        fill(run.getRequiredTestClass(), null);
      }
    }

    /** Fills the static fields ({@code test} null) or the instance fields of {@code test}. */
    private void fill(Class<?> type, Object test) throws IllegalAccessException {
      for (Field field : AnnotationSupport.findAnnotatedFields(type, ServerUnderTest.class)) {
        if (Modifier.isStatic(field.getModifiers()) != (test == null)) {
          continue;
        }
        field.setAccessible(true);
        field.set(test, valueFor(field));
      }
    }

    private Object valueFor(Field field) {
      if (field.getType() == TestServer.class) {
        return server;
      } else if (field.getType() == OAuthCalls.class) {
        return server == null ? null : server.oauth();
      } else if (field.getType() == Backend.class) {
        return server == null ? null : backend;
      }
      throw new ExtensionConfigurationException(
          field + " is marked @ServerUnderTest but is no TestServer, OAuthCalls or Backend");
    }
  }
}

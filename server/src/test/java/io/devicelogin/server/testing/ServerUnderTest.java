package io.devicelogin.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field, static or not, of a {@link ServerOnEachBackend} class that each run fills in: a
 * {@link TestServer} gets the run's server, an {@link OAuthCalls} its OAuth endpoints, a {@link
 * Backend} the run's backend.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ServerUnderTest {}

package io.devicelogin.client.testing;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret value a test server issued or a test received during this JVM's run, so that {@link
 * NoSecretsInOutput} can look for them in what the tests logged and printed.
 */
public final class IssuedSecrets {
  private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

  private IssuedSecrets() {}

  /** Registers a raw value and returns it, for use inline where a fixture makes a secret. */
  public static String register(String value) {
    VALUES.add(value);
    return value;
  }

  public static Set<String> all() {
    return Set.copyOf(VALUES);
  }

  /** A random, registered, token-shaped value: 32 bytes of base64url. */
  public static String fresh(String prefix) {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return register(prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }
}

package io.devicelogin.server.testing;

/**
 * The databases the server runs on, and so the tests: the embedded H2 default and PostgreSQL (a
 * real server, through {@link SharedPostgres}). Test classes take one as their parameter and run
 * once per backend.
 */
public enum Backend {
  H2,
  POSTGRES
}

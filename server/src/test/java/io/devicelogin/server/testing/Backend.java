package io.devicelogin.server.testing;

/**
 * The databases the server runs on, and so the tests: the embedded H2 default and PostgreSQL (a
 * real server, through {@link SharedPostgres}). A test class runs once per backend, against a
 * server of its own ({@link ServerOnEachBackend}) or with the backend as its parameter.
 */
public enum Backend {
  H2,
  POSTGRES
}

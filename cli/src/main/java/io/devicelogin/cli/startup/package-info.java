/**
 * What makes the short commands ({@code status}, {@code token}) start and exit fast, kept apart so
 * that the commands read as the commands. Each class says what it saves and which benchmark shows
 * it: bench's {@code CliStartup} ({@code bench/run --only cli}), whose figures are in
 * bench/RESULTS.md, "Command start-up".
 *
 * <ul>
 *   <li>{@link FastPath}: the plain command lines of {@code status} and {@code token} read without
 *       picocli;
 *   <li>{@link CommandLogging}: Logback configured in code, not from XML;
 *   <li>{@link HttpClientSelectors}: the exit does not wait for the HTTP clients' selector threads;
 *   <li>{@link CdsTraining}: the training run of the class-data archive that the {@code
 *       devicelogin} launcher passes to {@code java}.
 * </ul>
 *
 * <p>Elsewhere, for the same reason: the launcher's JIT flags for the short commands (the {@code
 * devicelogin} script), string concatenation compiled without invokedynamic ({@code cli/pom.xml}),
 * and the keyring left unprobed for a profile's recorded store ({@code TokenStores.openRecorded}).
 */
package io.devicelogin.cli.startup;

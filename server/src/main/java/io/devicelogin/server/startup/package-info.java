/**
 * Starting the server: the tricks that make it ready sooner, kept out of the protocol's files, and
 * the one-line messages for a start that fails.
 *
 * <p>Each trick says what it saves and the benchmark that shows it: {@code bench/run --only
 * startup} ({@code bench/src/main/java/io/devicelogin/bench/startup/ServerStartup.java}) measures
 * {@code java -jar devicelogin-server.jar} from process start to the first {@code 200} of {@code
 * /healthz}, with the CPU time used, and writes the "Server start-up" table of {@code
 * bench/RESULTS.md}. To see a trick's worth, start a jar without it beside one with it ({@code
 * ServerStartup} compares jars under the same conditions).
 */
package io.devicelogin.server.startup;

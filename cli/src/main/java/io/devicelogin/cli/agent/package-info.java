/**
 * The in-memory token agent ({@link io.devicelogin.cli.agent.Agent}, a background process holding
 * tokens in memory only, behind a Unix domain socket in a directory private to the user) and its
 * client, {@link io.devicelogin.cli.store.MemoryAgentStore}. Tested on Linux; the Windows paths (no
 * {@code setsid}, no POSIX modes, {@code %LOCALAPPDATA%}) are untested.
 */
package io.devicelogin.cli.agent;

/**
 * Where tokens live between commands: never in a plaintext file.
 *
 * <ul>
 *   <li>{@link io.devicelogin.cli.store.TokenStores#open} picks the store: {@code keyring}, {@code
 *       memory}, or by default the keyring when a probe shows that it works, else the in-memory
 *       agent; if neither works, a {@link io.devicelogin.cli.store.StoreUnavailableException} that
 *       gives both reasons (exit code 8).
 *   <li>{@link io.devicelogin.cli.store.KeyringStore}: the OS secret store. Linux (Secret Service
 *       through {@code secret-tool}) is tested against a real GNOME Keyring. <b>The macOS ({@code
 *       security}) and Windows (Credential Manager through PowerShell) back-ends are untested on
 *       real systems</b>: their tests check the exact command lines and input they produce.
 *   <li>{@link io.devicelogin.cli.store.MemoryAgentStore}: the in-memory agent.
 *   <li>{@link io.devicelogin.cli.store.TokenSetCodec}: the one place where token values become
 *       bytes, for a store's transport only.
 * </ul>
 */
package io.devicelogin.cli.store;

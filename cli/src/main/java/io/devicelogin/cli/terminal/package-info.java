/**
 * The terminal side of {@code devicelogin login}: what a person sees on standard error while the
 * device flow waits.
 *
 * <ul>
 *   <li>{@link io.devicelogin.cli.terminal.LoginScreen}: the {@code LoginListener} that draws the
 *       prompt, the QR code and the countdown, and opens the browser;
 *   <li>{@link io.devicelogin.cli.terminal.TerminalInfo}: whether standard error is a terminal, how
 *       wide, and whether escape codes are allowed ({@code NO_COLOR}, {@code TERM=dumb});
 *   <li>{@link io.devicelogin.cli.terminal.QrCode}: a QR code in Unicode half blocks;
 *   <li>{@link io.devicelogin.cli.terminal.BrowserLauncher}: opens a URL, or says why not ({@code
 *       BROWSER}, SSH, no display, WSL, macOS, Windows).
 * </ul>
 */
package io.devicelogin.cli.terminal;

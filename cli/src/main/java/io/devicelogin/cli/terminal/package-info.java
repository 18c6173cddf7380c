/**
 * The terminal side of {@code devicelogin login}: what a person sees on standard error while the
 * device flow waits.
 *
 * <ul>
 *   <li>{@link LoginScreen}: the {@code LoginListener} that draws the prompt, the QR code and the
 *       countdown, and opens the browser; what it says is {@link LoginText}'s, with server text
 *       made safe by {@link ScreenText}; the countdown's state is {@link Countdown}, ticked by
 *       {@link Ticker};
 *   <li>{@link TerminalInfo}: whether standard error is a terminal, how wide, and whether escape
 *       codes are allowed ({@code NO_COLOR}, {@code TERM=dumb});
 *   <li>{@link QrBlocks}: a QR code in Unicode half blocks, shown as {@link QrMode} says;
 *   <li>{@link BrowserLauncher}: opens a URL, or says why not; {@link BrowserDecision} chooses what
 *       to run ({@code BROWSER}, SSH, no display, WSL, macOS, Windows) on a {@link Platform}.
 * </ul>
 */
package io.devicelogin.cli.terminal;

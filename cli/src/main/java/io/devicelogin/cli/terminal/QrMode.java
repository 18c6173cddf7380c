package io.devicelogin.cli.terminal;

/**
 * When the login screen shows a QR code: with {@link #AUTO} only on an interactive terminal that is
 * wide and tall enough; with {@link #ON} always, even in a log; with {@link #OFF} never.
 */
public enum QrMode {
  /** On an interactive terminal where it fits. */
  AUTO,
  /** Always, even when standard error is not a terminal or the code does not fit. */
  ON,
  /** Never. */
  OFF;

  /** From a {@code --qr}/{@code --no-qr} pair held as a Boolean: null (neither) is AUTO. */
  public static QrMode of(Boolean flag) {
    return flag == null ? AUTO : flag ? ON : OFF;
  }
}

package io.devicelogin.server.testing;

import java.util.List;

/**
 * The command-line flags that make Chromium headless and quiet: no sandbox (containers run as
 * root), no GPU, and none of the background traffic, updates, sync or first-run screens that would
 * reach out of a test.
 */
public final class HeadlessChromium {
  public static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run");

  private HeadlessChromium() {}
}

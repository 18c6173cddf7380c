package io.devicelogin.e2e.browser;

import io.devicelogin.server.testing.Directories;
import io.devicelogin.server.testing.HeadlessChromium;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both at fixed paths so that
 * Selenium Manager never downloads anything. Without them the tests are skipped, unless the {@code
 * CI} environment variable is set: there a missing browser fails the run.
 */
final class Chromium implements AutoCloseable {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String INSTALL = "apt-get install chromium chromium-driver";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  final WebDriver driver;
  private final ChromeDriverService service;
  private final Path userDataDir;

  private Chromium(WebDriver driver, ChromeDriverService service, Path userDataDir) {
    this.driver = driver;
    this.service = service;
    this.userDataDir = userDataDir;
  }

  /** Skips (or, with {@code CI} set, fails) the test when the browser or its driver is missing. */
  static void requireInstalled() {
    boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    if (present) {
      return;
    }
    String message = "headless Chromium is missing (" + BROWSER + ", " + DRIVER + "): " + INSTALL;
    if (System.getenv("CI") != null) {
      Assertions.fail(message + " (CI is set, so a missing browser fails the run)");
    }
    Assumptions.abort("browser tests skipped: " + message);
  }

  /** A fresh browser with a profile of its own. */
  static Chromium start() {
    requireInstalled();
    try {
      Path profile = Files.createTempDirectory("devicelogin-chromium-profile");
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(DRIVER.toFile())
              .usingAnyFreePort()
              .withLogOutput(OutputStream.nullOutputStream())
              .build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(BROWSER.toFile());
      options.addArguments(HeadlessChromium.FLAGS);
      options.addArguments(
          "--disable-dev-shm-usage", "--window-size=1024,900", "--user-data-dir=" + profile);
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
      return new Chromium(driver, service, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    // Chromium 156 (Debian's 156.0.8078.129) at times answers a look at an element of a page it
    // has just loaded with "Node with given id does not belong to the document", an unknown error
    // rather than a stale element; the wait looks again, and still fails when its time is up.
    wait.ignoring(WebDriverException.class);
    return wait;
  }

  /**
   * Sends {@code request} from outside the browser with the browser's cookies, as someone holding
   * them would; follows no redirects, so that the test sees each answer itself.
   */
  HttpResponse<String> sendWithCookies(HttpRequest.Builder request) {
    String cookies =
        driver.manage().getCookies().stream()
            .map(c -> c.getName() + "=" + c.getValue())
            .collect(Collectors.joining("; "));
    if (!cookies.isEmpty()) {
      request.header("Cookie", cookies);
    }
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Saves what the browser shows as {@code target/screenshots/NAME.png}. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      Directories.deleteQuietly(userDataDir);
    }
  }
}

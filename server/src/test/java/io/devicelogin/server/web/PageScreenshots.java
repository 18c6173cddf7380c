package io.devicelogin.server.web;

import com.sun.net.httpserver.HttpServer;
import io.devicelogin.client.Secret;
import io.devicelogin.server.testing.Directories;
import io.devicelogin.server.testing.HeadlessChromium;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: screenshots of the pages with headless Chromium, for a person to look at.
 *
 * <pre>java -cp … io.devicelogin.server.web.PageScreenshots OUTPUT-DIR [chromium]</pre>
 *
 * Starts a test server, takes a browser through sign-in to a pending consent page, and lets
 * Chromium load the pages through a small local proxy that adds that browser's session cookie
 * (Chromium's command line cannot set a cookie).
 */
public final class PageScreenshots {
  private PageScreenshots() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "/tmp");
    String chromium = args.length > 1 ? args[1] : "chromium";
    Files.createDirectories(out);
    try (TestServer server = TestServer.start(List.of("--trusted-proxy", "127.0.0.1"))) {
      Browser browser = new Browser(server);
      Secret password = Secret.of(server.demoPassword);

      // One approved and used grant for the account page, then a pending request for the consent
      // page.
      Terminal laptop = new Terminal(server).from("198.51.100.23");
      Code first = laptop.requestCode("openid profile email offline_access");
      Page consent = Flows.toConsent(browser, first.userCode(), "demo", password);
      Flows.decide(browser, consent, "approve");
      laptop.poll(first);
      server.clock.advance(Duration.ofMinutes(7));
      Terminal remote = new Terminal(server).from("203.0.113.7");
      remote.userAgent = "devicelogin/0.1.0 (Linux 6.1; amd64) Java/17.0.12";
      Code second = remote.requestCode("openid profile offline_access");
      server.clock.advance(Duration.ofSeconds(40));
      Page pending = Flows.toConsent(browser, second.userCode(), "demo", password);
      String consentPath = "/device/consent?request=" + Flows.requestId(pending);
      String cookie = browser.sessionCookie().orElseThrow();

      // Pages that only a POST shows are saved as they came and loaded from files.
      Map<String, Page> saved = new LinkedHashMap<>();
      Browser other = new Browser(server).from("192.0.2.80");
      saved.put("login", other.get("/login?next=%2Fdevice%2Fconsent%3Frequest%3Dx"));
      saved.put("wrong-code", Flows.enterCode(other, "XZXZ-XZXZ"));
      for (int i = 0; i < 4; i++) {
        saved.put("lockout", Flows.enterCode(other, "XZXZ-XZXZ"));
      }
      Terminal third = new Terminal(server);
      Page thirdConsent =
          Flows.toConsent(
              new Browser(server), third.requestCode("openid").userCode(), "demo", password);
      saved.put(
          "refused",
          new Browser(server).get("/device/consent?request=" + Flows.requestId(thirdConsent)));

      HttpServer proxy = proxy(server, cookie);
      String base = "http://127.0.0.1:" + proxy.getAddress().getPort();
      Map<String, String> shots = new LinkedHashMap<>();
      shots.put("consent", consentPath);
      shots.put("account", "/account");
      shots.put("admin", "/admin");
      shots.put("device", "/device?user_code=" + second.userCode());
      List<Path> written = new ArrayList<>();
      try {
        for (Map.Entry<String, String> shot : shots.entrySet()) {
          written.addAll(
              screenshots(
                  chromium,
                  base + shot.getValue(),
                  out,
                  shot.getKey(),
                  shot.getKey().equals("admin") ? 1400 : 1000,
                  1200,
                  1400));
        }
        // Only now, after the consent page's screenshot, answer it.
        saved.put("approved", Flows.decide(browser, pending, "approve"));
        for (Map.Entry<String, Page> page : saved.entrySet()) {
          Path html = out.resolve(page.getKey() + ".html");
          Files.writeString(
              html,
              page.getValue()
                  .body()
                  .replace("href=\"/static/", "href=\"" + server.uri("/static/")));
          written.addAll(
              screenshots(chromium, html.toUri().toString(), out, page.getKey(), 1000, 900, 900));
        }
        written.forEach(p -> System.out.println("wrote " + p));
      } finally {
        proxy.stop(0);
      }
    }
  }

  private static HttpServer proxy(TestServer server, String cookie) throws IOException {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    HttpServer proxy =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    proxy.createContext(
        "/",
        exchange -> {
          try {
            HttpResponse<byte[]> response =
                http.send(
                    HttpRequest.newBuilder(server.uri(exchange.getRequestURI().toString()))
                        .header("Cookie", SessionCookies.COOKIE + "=" + cookie)
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            response
                .headers()
                .map()
                .forEach(
                    (name, values) -> {
                      if (!name.equalsIgnoreCase("content-length")
                          && !name.equalsIgnoreCase("transfer-encoding")
                          && !name.startsWith(":")) {
                        values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                      }
                    });
            exchange.sendResponseHeaders(
                response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream body = exchange.getResponseBody()) {
              body.write(response.body());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
          }
        });
    proxy.start();
    return proxy;
  }

  /** {@code name.png} at {@code width} and {@code name-360.png}, 360 wide as a phone shows it. */
  private static List<Path> screenshots(
      String chromium, String url, Path out, String name, int width, int height, int phoneHeight)
      throws Exception {
    return List.of(
        screenshot(chromium, url, out.resolve(name + ".png"), width, height),
        screenshot(chromium, url, out.resolve(name + "-360.png"), 360, phoneHeight));
  }

  private static Path screenshot(String chromium, String url, Path file, int width, int height)
      throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    try {
      List<String> command = new ArrayList<>();
      command.add(chromium);
      command.addAll(HeadlessChromium.FLAGS);
      command.add("--hide-scrollbars");
      command.add("--user-data-dir=" + profile);
      command.add("--screenshot=" + file);
      command.add("--window-size=" + width + "," + height);
      command.add(URI.create(url).toString());
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("chromium did not finish for " + url);
      }
    } finally {
      Directories.deleteQuietly(profile);
    }
    return file;
  }
}

package io.devicelogin.client.http;

import io.devicelogin.client.testing.LoopbackListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP proxy on a free loopback port: {@code CONNECT host:port} opens a tunnel and pipes
 * bytes both ways; an absolute-form request ({@code GET http://host:port/path}) is forwarded in
 * origin form. It records every connection and request line it receives, before acting on it, so a
 * test that got its answer can read the record without waiting. With {@link #refusing} it answers
 * every request {@code 403} instead, as a proxy that blocks a destination does.
 */
final class TestProxy implements AutoCloseable {
  private final boolean refuse;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final LoopbackListener listener;

  private TestProxy(boolean refuse) throws IOException {
    this.refuse = refuse;
    this.listener =
        new LoopbackListener(
            "test-proxy",
            client -> {
              connections.incrementAndGet();
              serve(client);
            });
  }

  static TestProxy start() throws IOException {
    return new TestProxy(false);
  }

  static TestProxy refusing() throws IOException {
    return new TestProxy(true);
  }

  /** {@code http://127.0.0.1:PORT}, the form a proxy variable takes. */
  String url() {
    return listener.url();
  }

  /** How many connections clients opened to the proxy. */
  int connections() {
    return connections.get();
  }

  /** The method and target of every request, e.g. {@code CONNECT 127.0.0.1:4431}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void serve(Socket client) {
    try {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      if (head == null) {
        client.close();
        return;
      }
      String[] lines = head.split("\r\n", -1);
      String[] requestLine = lines[0].split(" ");
      String method = requestLine[0];
      String target = requestLine[1];
      requests.add(method + " " + target);
      if (refuse) {
        out.write(
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        client.close();
        return;
      }
      Socket upstream = new Socket();
      listener.track(upstream);
      if (method.equals("CONNECT")) {
        int colon = target.lastIndexOf(':');
        upstream.connect(
            new InetSocketAddress(
                target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))),
            5_000);
        out.write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } else {
        URI uri = URI.create(target);
        upstream.connect(
            new InetSocketAddress(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort()), 5_000);
        String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder forwarded =
            new StringBuilder(method)
                .append(' ')
                .append(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
                .append(' ')
                .append(requestLine[2])
                .append("\r\n");
        for (int i = 1; i < lines.length; i++) {
          if (!lines[i].regionMatches(true, 0, "Proxy-", 0, 6)) {
            forwarded.append(lines[i]).append("\r\n");
          }
        }
        // The head ended with an empty line, which the loop above has already copied.
        upstream
            .getOutputStream()
            .write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
        upstream.getOutputStream().flush();
      }
      listener.execute(() -> pipe(in, upstream, upstream));
      pipe(upstream.getInputStream(), client, client);
    } catch (IOException | RuntimeException e) {
      LoopbackListener.closeQuietly(client);
    }
  }

  /** The request line and headers, up to and without the final CRLF CRLF; null at end of stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b == -1) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 65_536) {
        throw new IOException("request head too long");
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 2);
  }

  private static void pipe(InputStream from, Socket to, Socket toClose) {
    try {
      from.transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      LoopbackListener.closeQuietly(toClose);
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

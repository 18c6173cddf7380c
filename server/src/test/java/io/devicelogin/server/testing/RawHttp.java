package io.devicelogin.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 written byte by byte on a socket, for the requests {@code java.net.http} refuses to
 * make: a control character in a header, a malformed escape in the URL, and a body that never ends.
 */
public final class RawHttp {
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);

  private RawHttp() {}

  /** What came back; header names in lower case. */
  public record Answer(int status, Map<String, List<String>> headers, String body) {
    /** The same answer as the OAuth calls give it, for the same assertions. */
    public OAuthCalls.Response response() {
      return new OAuthCalls.Response(status, headers, body);
    }
  }

  /** Sends {@code request} (head and body, exactly these bytes) and reads the answer. */
  public static Answer exchange(int port, byte[] request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code head} (ending in the blank line), then writes {@code unit} again and again, as
   * chunks when {@code chunked}, until the server answers or shuts the connection: a body that, as
   * far as the server can know, never ends. Fails unless the answer arrives within 20 s, so a
   * server that reads a body to its end before answering fails too.
   */
  public static Answer flood(int port, String head, byte[] unit, boolean chunked) {
    byte[] piece = chunked ? chunk(unit) : unit;
    AtomicLong sent = new AtomicLong();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      Thread writer =
          new Thread(
              () -> {
                try {
                  while (!Thread.currentThread().isInterrupted()) {
                    out.write(piece);
                    sent.addAndGet(unit.length);
                  }
                } catch (IOException e) {
                  // The server answered and closed, or the test closed the socket: either way,
                  // done.
                }
              },
              "raw-http-flood");
      writer.setDaemon(true);
      writer.start();
      try {
        return read(socket.getInputStream());
      } finally {
        writer.interrupt();
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no answer within "
              + ANSWER_WITHIN.toSeconds()
              + " s while the body kept coming ("
              + sent.get() / 1024
              + " KiB sent): the server reads it all before answering",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] chunk(byte[] unit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((Integer.toHexString(unit.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(unit);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** Reads one answer from {@code in}: status line, headers and the body they announce. */
  public static Answer read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
      throw new AssertionError("not an HTTP/1.1 answer: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    List<String> length = headers.get("content-length");
    byte[] body =
        length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length.get(0)));
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** A line up to CRLF, decoded as ISO-8859-1 (so that any byte shows); null at the end. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}

package io.devicelogin.e2e.browser;

import io.devicelogin.client.testing.LoopbackListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay on a free loopback port in front of a server, which keeps every byte each way. The
 * server is started with this relay's URL as its issuer, so that the command, the browser and the
 * test all reach it through here: the record then holds every secret of the run as it crossed the
 * wire (the command's device code and every token it received, which it never shows), and every
 * answer the server gave. Bytes are recorded before they are passed on, so whoever got an answer
 * can read the record without waiting.
 */
final class WireTap implements AutoCloseable {
  private final int targetPort;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final LoopbackListener listener;

  /** One connection's bytes: what the client sent, and what the server answered. */
  static final class Connection {
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    final ByteArrayOutputStream answered = new ByteArrayOutputStream();

    String sent() {
      synchronized (sent) {
        return sent.toString(StandardCharsets.ISO_8859_1);
      }
    }

    String answered() {
      synchronized (answered) {
        return answered.toString(StandardCharsets.ISO_8859_1);
      }
    }
  }

  /**
   * Relays to {@code targetPort} on loopback, which need not listen yet: each connection connects
   * anew.
   */
  WireTap(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new LoopbackListener("wire-tap", this::tap);
  }

  String url() {
    return listener.url();
  }

  List<Connection> connections() {
    return List.copyOf(connections);
  }

  /** Everything sent and answered, as Latin-1 text (one character per byte). */
  String everything() {
    StringBuilder all = new StringBuilder();
    for (Connection c : connections) {
      all.append(c.sent()).append('\n').append(c.answered()).append('\n');
    }
    return all.toString();
  }

  private void tap(Socket client) {
    try {
      Socket server = listener.track(new Socket(InetAddress.getLoopbackAddress(), targetPort));
      Connection c = new Connection();
      connections.add(c);
      listener.execute(() -> relay(server, client, c.answered));
      relay(client, server, c.sent);
    } catch (IOException e) {
      LoopbackListener.closeQuietly(client);
    }
  }

  private static void relay(Socket from, Socket to, ByteArrayOutputStream record) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) != -1) {
        synchronized (record) {
          record.write(buffer, 0, n);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      LoopbackListener.closeQuietly(from);
      LoopbackListener.closeQuietly(to);
    }
  }

  /** One HTTP/1.1 exchange read back from the record. */
  record Exchange(
      String method, String target, int status, String responseHead, String responseBody) {
    /**
     * The answer's head without its {@code Set-Cookie} lines, whose values are meant to be there.
     */
    String headWithoutCookies() {
      StringBuilder kept = new StringBuilder();
      for (String line : responseHead.split("\r\n")) {
        if (!line.toLowerCase(Locale.ROOT).startsWith("set-cookie:")) {
          kept.append(line).append("\r\n");
        }
      }
      return kept.toString();
    }
  }

  /**
   * Every request and its answer, in order per connection. The server speaks HTTP/1.1 only, and
   * answers with a {@code Content-Length} or in chunks; anything else fails the reading.
   */
  List<Exchange> exchanges() {
    List<Exchange> all = new ArrayList<>();
    for (Connection c : connections) {
      Reader requests = new Reader(c.sent());
      Reader answers = new Reader(c.answered());
      while (requests.more()) {
        String head = requests.head();
        String[] requestLine = head.split("\r\n", 2)[0].split(" ");
        requests.body(head, false);
        if (!answers.more()) {
          break; // the connection closed before an answer (the command was done with it)
        }
        String answerHead = answers.head();
        int status = Integer.parseInt(answerHead.split(" ", 3)[1]);
        boolean noBody =
            requestLine[0].equals("HEAD") || status == 204 || status == 304 || status < 200;
        all.add(
            new Exchange(
                requestLine[0],
                requestLine[1],
                status,
                answerHead,
                answers.body(answerHead, noBody)));
      }
    }
    return all;
  }

  /** Reads messages one after another out of one direction's bytes. */
  private static final class Reader {
    private final String text;
    private int at;

    Reader(String text) {
      this.text = text;
    }

    boolean more() {
      return at < text.length();
    }

    String head() {
      int end = text.indexOf("\r\n\r\n", at);
      if (end < 0) {
        throw new IllegalStateException("a message head without its end at byte " + at);
      }
      String head = text.substring(at, end);
      at = end + 4;
      return head;
    }

    String body(String head, boolean none) {
      if (none) {
        return "";
      }
      String lower = head.toLowerCase(Locale.ROOT);
      Matcher length = Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(lower);
      if (length.find()) {
        int n = Integer.parseInt(length.group(1));
        String body = text.substring(at, Math.min(text.length(), at + n));
        at += n;
        return body;
      }
      if (lower.contains("\r\ntransfer-encoding: chunked")) {
        StringBuilder body = new StringBuilder();
        while (true) {
          int lineEnd = text.indexOf("\r\n", at);
          int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].trim(), 16);
          at = lineEnd + 2;
          if (size == 0) {
            int end = text.indexOf("\r\n", at); // no trailers from this server: the empty line
            at = end + 2;
            return body.toString();
          }
          body.append(text, at, at + size);
          at += size + 2;
        }
      }
      if (head.startsWith("HTTP/")) {
        // An answer without a length runs to the end of the connection.
        String body = text.substring(at);
        at = text.length();
        return body;
      }
      return ""; // a request without a body
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

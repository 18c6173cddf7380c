package io.devicelogin.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response from bytes as they arrive: the status, the framing ({@code
 * Content-Length} or {@code Transfer-Encoding: chunked}) and the body. Bytes it cannot use yet stay
 * in the buffer for the next call.
 */
final class ResponseParser {
  private enum State {
    HEAD,
    BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILER,
    DONE
  }

  private State state = State.HEAD;
  private int status;
  private long remaining;
  private boolean chunked;
  private boolean close;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);

  void reset() {
    state = State.HEAD;
    status = 0;
    remaining = 0;
    chunked = false;
    close = false;
    body.reset();
  }

  int status() {
    return status;
  }

  byte[] body() {
    return body.toByteArray();
  }

  boolean connectionClose() {
    return close;
  }

  /** Consumes what it can of {@code in}; true once the response is complete. */
  boolean feed(ByteBuffer in) throws IOException {
    while (true) {
      switch (state) {
        case HEAD -> {
          int end = indexOf(in, HEAD_END);
          if (end < 0) {
            return false;
          }
          byte[] head = new byte[end - in.position()];
          in.get(head);
          in.position(in.position() + HEAD_END.length);
          head(new String(head, StandardCharsets.ISO_8859_1));
        }
        case BODY -> {
          if (!copyRemaining(in)) {
            return false;
          }
          state = State.DONE;
        }
        case CHUNK_SIZE -> {
          String line = line(in);
          if (line == null) {
            return false;
          }
          int semicolon = line.indexOf(';');
          String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
          try {
            remaining = Long.parseLong(hex, 16);
          } catch (NumberFormatException e) {
            throw new IOException("a malformed chunk size: " + line);
          }
          state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
        }
        case CHUNK_DATA -> {
          if (!copyRemaining(in)) {
            return false;
          }
          state = State.CHUNK_END;
        }
        case CHUNK_END -> {
          String line = line(in);
          if (line == null) {
            return false;
          }
          state = State.CHUNK_SIZE;
        }
        case TRAILER -> {
          String line = line(in);
          if (line == null) {
            return false;
          }
          if (line.isEmpty()) {
            state = State.DONE;
          }
        }
        case DONE -> {
          return true;
        }
        default -> throw new IllegalStateException(state.toString());
      }
    }
  }

  private void head(String head) throws IOException {
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x response: " + lines[0]);
    }
    status = Integer.parseInt(statusLine[1]);
    long length = -1;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    if (chunked) {
      state = State.CHUNK_SIZE;
    } else if (length > 0) {
      remaining = length;
      state = State.BODY;
    } else if (length == 0 || status == 204 || status == 304 || status / 100 == 1) {
      state = State.DONE;
    } else {
      throw new IOException(
          "a response without Content-Length or chunked framing (status " + status + ")");
    }
  }

  /** Copies what it can of the {@code remaining} body bytes; true once none remain. */
  private boolean copyRemaining(ByteBuffer in) {
    int n = (int) Math.min(remaining, in.remaining());
    copy(in, n);
    remaining -= n;
    return remaining == 0;
  }

  private void copy(ByteBuffer in, int n) {
    if (in.hasArray()) {
      body.write(in.array(), in.arrayOffset() + in.position(), n);
      in.position(in.position() + n);
    } else {
      byte[] part = new byte[n];
      in.get(part);
      body.write(part, 0, n);
    }
  }

  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
  private static final byte[] CRLF = {'\r', '\n'};

  /** A CRLF-terminated line, consumed with its CRLF; null (nothing consumed) if incomplete. */
  private static String line(ByteBuffer in) {
    int end = indexOf(in, CRLF);
    if (end < 0) {
      return null;
    }
    byte[] line = new byte[end - in.position()];
    in.get(line);
    in.position(in.position() + 2);
    return new String(line, StandardCharsets.ISO_8859_1);
  }

  private static int indexOf(ByteBuffer in, byte[] pattern) {
    int limit = in.limit() - pattern.length;
    outer:
    for (int i = in.position(); i <= limit; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (in.get(i + j) != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

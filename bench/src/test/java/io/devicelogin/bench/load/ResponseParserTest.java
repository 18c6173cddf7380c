package io.devicelogin.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The load generator's response reader: framing by Content-Length and by chunks, fed in pieces. */
class ResponseParserTest {
  private final ResponseParser parser = new ResponseParser();

  /** Feeds {@code text} in pieces of {@code step} bytes, as a socket may deliver it. */
  private boolean feedInPieces(String text, int step) throws IOException {
    byte[] all = text.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer buffer = ByteBuffer.allocate(all.length);
    boolean complete = false;
    for (int i = 0; i < all.length; i += step) {
      buffer.put(all, i, Math.min(step, all.length - i));
      buffer.flip();
      complete = parser.feed(buffer);
      buffer.compact();
      if (complete) {
        assertThat(i + step)
            .as("complete only with the last piece")
            .isGreaterThanOrEqualTo(all.length);
      }
    }
    return complete;
  }

  @Test
  void aContentLengthBodyIsCompleteOnlyWhenEveryByteHasArrived() throws IOException {
    String body = "{\"error\":\"authorization_pending\"}";
    for (int step : new int[] {1, 3, 7, 1000}) {
      parser.reset();
      assertThat(
              feedInPieces(
                  "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body,
                  step))
          .isTrue();
      assertThat(parser.status()).isEqualTo(400);
      assertThat(new String(parser.body(), StandardCharsets.UTF_8)).isEqualTo(body);
      assertThat(parser.connectionClose()).isFalse();
    }
  }

  @Test
  void chunkedBodiesAreJoinedWithExtensionsAndTrailersSkipped() throws IOException {
    String response =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\n{\"a\":\r\n"
            + "4\r\n\"b\"}\r\n"
            + "0\r\nX-Trailer: t\r\n\r\n";
    for (int step : new int[] {1, 2, 5, 1000}) {
      parser.reset();
      assertThat(feedInPieces(response, step)).isTrue();
      assertThat(parser.status()).isEqualTo(200);
      assertThat(new String(parser.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"b\"}");
    }
  }

  @Test
  void twoResponsesInOneReadAreReadOneAtATime() throws IOException {
    ByteBuffer two =
        ByteBuffer.wrap(
            ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + "HTTP/1.1 204 No Content\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(parser.feed(two)).isTrue();
    assertThat(new String(parser.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
    parser.reset();
    assertThat(parser.feed(two)).isTrue();
    assertThat(parser.status()).isEqualTo(204);
    assertThat(parser.body()).isEmpty();
    assertThat(two.hasRemaining()).isFalse();
  }

  @Test
  void connectionCloseIsReported() throws IOException {
    assertThat(
            parser.feed(
                ByteBuffer.wrap(
                    "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1))))
        .isTrue();
    assertThat(parser.connectionClose()).isTrue();
  }

  @Test
  void whatIsNotHttpOrHasNoFramingIsAnError() {
    assertThatThrownBy(
            () ->
                parser.feed(
                    ByteBuffer.wrap(
                        "SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an HTTP/1.x response");
    parser.reset();
    assertThatThrownBy(
            () ->
                parser.feed(
                    ByteBuffer.wrap(
                        "HTTP/1.1 200 OK\r\n\r\nbody".getBytes(StandardCharsets.ISO_8859_1))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without Content-Length");
  }
}

package io.devicelogin.bench.jmh;

import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.protocol.OAuthExchange;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The body of a device-code poll, read as {@code POST /oauth2/token} reads it.
 *
 * <p>{@link FormRequest#read} takes an {@link OAuthExchange}; this benchmark gives it one that is a
 * form POST of a poll's body and nothing more, then looks up the three parameters the token
 * endpoint takes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FormRequestBenchmarks {
  /** A poll of the device code grant by a public client: what a waiting command sends every 5 s. */
  static final byte[] POLL =
      ("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
              + "&device_code=Qm9yZGVyQ29sbGllU2hlZXBEb2dTdHJlbmd0aDI1NkJpdHM"
              + "&client_id=devicelogin-cli")
          .getBytes(StandardCharsets.US_ASCII);

  private final OAuthExchange poll = formPost(POLL);

  @Benchmark
  public String readTokenRequest() {
    FormRequest form = FormRequest.read(poll);
    return form.require("grant_type")
        + form.require("device_code")
        + form.get("client_id").orElse("");
  }

  /** An exchange that is a form POST of {@code body}, and nothing more. */
  static OAuthExchange formPost(byte[] body) {
    return new OAuthExchange() {
      @Override
      public String header(String name) {
        return null;
      }

      @Override
      public java.util.List<String> headers(String name) {
        return java.util.List.of();
      }

      @Override
      public String remoteAddress() {
        return "127.0.0.1";
      }

      @Override
      public String contentType() {
        return "application/x-www-form-urlencoded";
      }

      @Override
      public String queryString() {
        return null;
      }

      @Override
      public long contentLength() {
        return body.length;
      }

      @Override
      public java.io.InputStream bodyInputStream() {
        return new ByteArrayInputStream(body);
      }

      @Override
      public void status(int status) {
        throw new UnsupportedOperationException("reading a form answers nothing");
      }

      @Override
      public int statusCode() {
        return 200;
      }

      @Override
      public void header(String name, String value) {
        throw new UnsupportedOperationException("reading a form answers nothing");
      }

      @Override
      public void contentType(String type) {
        throw new UnsupportedOperationException("reading a form answers nothing");
      }

      @Override
      public void result(String body) {
        throw new UnsupportedOperationException("reading a form answers nothing");
      }

      @Override
      public String result() {
        return "";
      }
    };
  }
}

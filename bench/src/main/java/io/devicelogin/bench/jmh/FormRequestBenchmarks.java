package io.devicelogin.bench.jmh;

import io.devicelogin.server.oauth.FormRequest;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
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
 * <p>{@link FormRequest}'s only public entry point takes a Javalin {@link Context}; its parser
 * ({@code FormRequest.parse(byte[])}) is package-private. So this benchmark calls {@link
 * FormRequest#read} with a {@link Proxy} standing in for the context, answering only what {@code
 * read} asks of it (content type, query string, length, body); anything else fails the run, so a
 * change in what {@code read} reads shows here. The proxy's dispatch, a few reflective calls, is
 * included in the figure. Then the three parameters the token endpoint takes are looked up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FormRequestBenchmarks {
  /** A poll of the device code grant by a public client: what a waiting command sends every 5 s. */
  static final byte[] POLL = ("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
      + "&device_code=Qm9yZGVyQ29sbGllU2hlZXBEb2dTdHJlbmd0aDI1NkJpdHM"
      + "&client_id=devicelogin-cli").getBytes(StandardCharsets.US_ASCII);

  private final Context poll = formPost(POLL);

  @Benchmark
  public String readTokenRequest() {
    FormRequest form = FormRequest.read(poll);
    return form.require("grant_type") + form.require("device_code") + form.get("client_id").orElse("");
  }

  /** A context that is a form POST of {@code body}, and nothing more. */
  static Context formPost(byte[] body) {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "contentType":
              if (args == null) {
                return "application/x-www-form-urlencoded";
              }
              break;
            case "queryString":
              return null;
            case "contentLength":
              return body.length;
            case "bodyInputStream":
              return new ByteArrayInputStream(body);
            default:
              break;
          }
          throw new UnsupportedOperationException("FormRequest.read now asks for Context." + method.getName()
              + "; teach the benchmark's stand-in to answer it");
        });
  }
}

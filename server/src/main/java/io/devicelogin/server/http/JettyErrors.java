package io.devicelogin.server.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers, for requests its HTTP parser refuses before any route sees them: a
 * malformed URI (400), a request line too long (414), headers too large (431), a control character
 * in a header (400). They carry the {@link SecurityHeaders} of any answer and never a stack trace
 * or an exception's cause; the page itself is Jetty's.
 */
final class JettyErrors extends ErrorHandler {
  private final boolean overHttps;

  JettyErrors(boolean overHttps) {
    this.overHttps = overHttps;
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    SecurityHeaders.answer(response.getHeaders());
    if (overHttps) {
      SecurityHeaders.strictTransport(response.getHeaders());
    }
    return super.handle(request, response, callback);
  }
}

package io.devicelogin.client.wire;

/**
 * A protocol message that cannot be parsed. Thrown by the {@code parse} methods of the wire types;
 * callers that know the endpoint turn it into an {@link
 * io.devicelogin.client.InvalidResponseException}.
 */
public final class MalformedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String problem) {
    super(problem);
  }
}

package io.devicelogin.cli.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.wire.Json;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The agent's wire format: on one connection, one request and one response, each a JSON object sent
 * as a 4-byte big-endian length and that many bytes of UTF-8.
 *
 * <p>Requests: {@code {"op":"ping"}}, {@code {"op":"get","profile":P}}, {@code
 * {"op":"put","profile":P,"tokens":{…}}}, {@code {"op":"delete","profile":P}}, {@code
 * {"op":"shutdown"}}. Responses: {@code {"ok":true,…}} ({@code "tokens"} for a hit of {@code get},
 * {@code "pid"} and {@code "version"} for {@code ping}) or {@code {"ok":false,"error":"…"}}.
 */
public final class AgentProtocol {
  static final int VERSION = 1;

  /** Far above any token set; a larger frame is refused before it is read. */
  static final int MAX_FRAME = 256 * 1024;

  private AgentProtocol() {}

  static void write(SocketChannel channel, JsonNode message) throws IOException {
    byte[] body = Json.writeBytes(message);
    try {
      if (body.length > MAX_FRAME) {
        throw new IOException(
            "message too large (" + body.length + " bytes, at most " + MAX_FRAME + ")");
      }
      ByteBuffer buffer = ByteBuffer.allocate(4 + body.length);
      buffer.putInt(body.length).put(body).flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      Arrays.fill(buffer.array(), (byte) 0);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  static ObjectNode read(SocketChannel channel) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(4);
    fill(channel, header);
    int length = header.flip().getInt();
    if (length < 2 || length > MAX_FRAME) {
      throw new IOException("frame length " + length + " out of range");
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    fill(channel, body);
    try {
      JsonNode node = Json.readTree(body.array());
      if (node == null || !node.isObject()) {
        throw new IOException("message is not a JSON object");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new IOException("message is not JSON");
    } finally {
      Arrays.fill(body.array(), (byte) 0);
    }
  }

  private static void fill(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException(
            "connection closed after " + buffer.position() + " of " + buffer.capacity() + " bytes");
      }
    }
  }

  public static ObjectNode request(String op) {
    return Json.newObject().put("op", op);
  }

  static ObjectNode ok() {
    return Json.newObject().put("ok", true);
  }

  static ObjectNode error(String message) {
    return Json.newObject().put("ok", false).put("error", message);
  }
}

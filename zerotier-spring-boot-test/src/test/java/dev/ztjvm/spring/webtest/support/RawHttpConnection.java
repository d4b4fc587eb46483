package dev.ztjvm.spring.webtest.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 spoken by hand over any connected socket (here: a {@code ZeroTierSocket} of a peer node), so the tests see
 * the wire: several requests on one kept-alive connection, chunked bodies, a WebSocket upgrade and frames.
 */
public final class RawHttpConnection implements AutoCloseable {

  /** A response: status, headers (lower-case names) and the decoded body. */
  public record Response(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RawHttpConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** The socket (for its local address and port). */
  public Socket socket() {
    return socket;
  }

  /** Sends {@code GET path} (keep-alive) and reads the whole response. */
  public Response get(String host, String path) throws IOException {
    write("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: */*\r\n\r\n");
    return read();
  }

  /** Reads one response: status line, headers, body by Content-Length or chunked encoding. */
  public Response read() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.1 ")) {
      throw new IOException("not an HTTP/1.1 status line: " + status);
    }
    Map<String, String> headers = headers();
    int code = Integer.parseInt(status.substring(9, 12));
    String body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0;) {
        b.write(in.readNBytes(size));
        line();
      }
      line();
      body = b.toString(StandardCharsets.UTF_8);
    } else if (headers.containsKey("content-length")) {
      body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
    } else {
      body = "";
    }
    return new Response(code, headers, body);
  }

  /** Upgrades the connection to a WebSocket at {@code path}; returns the 101 response. */
  public Response upgradeToWebSocket(String host, String path) throws IOException {
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    write("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    String status = line();
    return new Response(Integer.parseInt(status.substring(9, 12)), headers(), "");
  }

  /** Sends a masked text frame (short payload, as a client must). */
  public void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length > 125) {
      throw new IllegalArgumentException("short frames only");
    }
    byte[] mask = new byte[4];
    new SecureRandom().nextBytes(mask);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    frame.write(0x80 | payload.length);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads one unmasked text frame from the server (short payload). */
  public String readText() throws IOException {
    int first = in.read();
    int second = in.read();
    if (first != 0x81 || second < 0 || (second & 0x80) != 0 || (second & 0x7f) > 125) {
      throw new IOException("not a short unmasked text frame: " + first + " " + second);
    }
    return new String(in.readNBytes(second & 0x7f), StandardCharsets.UTF_8);
  }

  private void write(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private Map<String, String> headers() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h; !(h = line()).isEmpty();) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    return headers;
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != '\n';) {
      if (c < 0) {
        throw new IOException("connection closed after '" + b + "'");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

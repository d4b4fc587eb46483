package dev.ztjvm.tools.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request and its response on a connected socket ({@code Connection: close}: one exchange per
 * connection). {@link #send} writes the request and reads the response head; {@link #body()} then yields the body
 * decoded from its framing (Content-Length, chunked, or until the server closes). Interim 1xx responses are
 * skipped. Closing the exchange closes the socket.
 */
public final class HttpExchange implements Closeable {

  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 256;

  private final Socket socket;
  private final InputStream in;
  private final HttpResponseHead head;
  private final InputStream body;

  private HttpExchange(Socket socket, InputStream in, HttpResponseHead head, InputStream body) {
    this.socket = socket;
    this.in = in;
    this.head = head;
    this.body = body;
  }

  /** Writes {@code request} on {@code socket} and reads the response head. */
  public static HttpExchange send(Socket socket, HttpRequest request, String userAgent) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(requestHead(request, userAgent));
    out.write(request.body());
    out.flush();
    InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    HttpResponseHead head;
    do {
      head = readHead(in);
    } while (head.status() >= 100 && head.status() < 200 && head.status() != 101);
    return new HttpExchange(socket, in, head, bodyOf(request, head, in));
  }

  public HttpResponseHead head() {
    return head;
  }

  /** The response body, without its transfer framing; ends where the response ends. */
  public InputStream body() {
    return body;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static byte[] requestHead(HttpRequest r, String userAgent) {
    StringBuilder b = new StringBuilder();
    b.append(r.method()).append(' ').append(r.target()).append(" HTTP/1.1\r\n");
    List<Map.Entry<String, String>> defaults = new ArrayList<>();
    defaults.add(Map.entry("Host", r.hostHeader()));
    defaults.add(Map.entry("User-Agent", userAgent));
    defaults.add(Map.entry("Accept", "*/*"));
    if (r.body().length > 0 || !(r.method().equals("GET") || r.method().equals("HEAD"))) {
      defaults.add(Map.entry("Content-Length", Integer.toString(r.body().length)));
    }
    defaults.add(Map.entry("Connection", "close"));
    for (Map.Entry<String, String> h : defaults) {
      if (!r.hasHeader(h.getKey())) {
        b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      }
    }
    for (Map.Entry<String, String> h : r.headers()) {
      b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    b.append("\r\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static HttpResponseHead readHead(InputStream in) throws IOException {
    String statusLine = readLine(in);
    if (statusLine == null) {
      throw new EOFException("the server closed the connection without a response");
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
      throw new IOException("not an HTTP response: '" + abbreviate(statusLine) + "'");
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    String line;
    while (!(line = requireLine(in)).isEmpty()) {
      if (headers.size() == MAX_HEADERS) {
        throw new IOException("more than " + MAX_HEADERS + " response headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed response header '" + abbreviate(line) + "'");
      }
      headers.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
    }
    return new HttpResponseHead(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers);
  }

  private static InputStream bodyOf(HttpRequest request, HttpResponseHead head, InputStream in) throws IOException {
    if (request.method().equals("HEAD") || head.status() == 204 || head.status() == 304) {
      return InputStream.nullInputStream();
    }
    String te = head.header("Transfer-Encoding").orElse("").toLowerCase(Locale.ROOT);
    if (te.endsWith("chunked")) {
      return new ChunkedBody(in);
    }
    var length = head.header("Content-Length");
    if (length.isPresent()) {
      long n;
      try {
        n = Long.parseLong(length.get());
      } catch (NumberFormatException e) {
        throw new IOException("invalid Content-Length '" + abbreviate(length.get()) + "'");
      }
      if (n < 0) {
        throw new IOException("invalid Content-Length " + n);
      }
      return new LengthBody(in, n);
    }
    return in; // ends when the server closes the connection
  }

  /** A line without its CR LF (or LF); null at the end of the stream before any byte. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        byte[] b = line.toByteArray();
        int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
      }
      if (line.size() == MAX_LINE) {
        throw new IOException("response line longer than " + MAX_LINE + " bytes");
      }
      line.write(c);
    }
    if (line.size() == 0) {
      return null;
    }
    throw new EOFException("the connection closed in the middle of a response line");
  }

  private static String requireLine(InputStream in) throws IOException {
    String line = readLine(in);
    if (line == null) {
      throw new EOFException("the connection closed in the middle of the response head");
    }
    return line;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  /** A body of exactly {@code length} bytes. */
  private static final class LengthBody extends InputStream {
    private final InputStream in;
    private final long length;
    private long left;

    LengthBody(InputStream in, long length) {
      this.in = in;
      this.length = length;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the connection closed after " + (length - left) + " of " + length + " body bytes");
      }
      left -= n;
      return n;
    }
  }

  /** A chunked body (RFC 9112 section 7.1): chunk sizes, data, and trailers that are read and dropped. */
  private static final class ChunkedBody extends InputStream {
    private final InputStream in;
    private long chunkLeft;
    private boolean done;

    ChunkedBody(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (chunkLeft == 0) {
        String size = requireLine(in);
        int ext = size.indexOf(';');
        String hex = (ext >= 0 ? size.substring(0, ext) : size).trim();
        try {
          chunkLeft = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new IOException("invalid chunk size '" + abbreviate(size) + "'");
        }
        if (chunkLeft < 0) {
          throw new IOException("invalid chunk size '" + abbreviate(size) + "'");
        }
        if (chunkLeft == 0) {
          while (!requireLine(in).isEmpty()) {
            // trailer fields are not used
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, chunkLeft));
      if (n < 0) {
        throw new EOFException("the connection closed in the middle of a chunk");
      }
      chunkLeft -= n;
      if (chunkLeft == 0 && !requireLine(in).isEmpty()) {
        throw new IOException("chunk data not followed by CR LF");
      }
      return n;
    }
  }
}

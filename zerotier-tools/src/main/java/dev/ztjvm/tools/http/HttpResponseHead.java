package dev.ztjvm.tools.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The status line and headers of a response.
 *
 * @param version e.g. {@code HTTP/1.1}
 * @param status the status code
 * @param reason the reason phrase (may be empty)
 * @param headers name/value pairs in the order received
 */
public record HttpResponseHead(String version, int status, String reason, List<Map.Entry<String, String>> headers) {

  public HttpResponseHead {
    headers = List.copyOf(headers);
  }

  /** The first value of a header (names compare without case). */
  public Optional<String> header(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return headers.stream().filter(h -> h.getKey().toLowerCase(Locale.ROOT).equals(n)).map(Map.Entry::getValue)
        .findFirst();
  }

  /** The status line as received, e.g. {@code HTTP/1.1 200 OK}. */
  public String statusLine() {
    return version + " " + status + (reason.isEmpty() ? "" : " " + reason);
  }

  /** True for 2xx. */
  public boolean successful() {
    return status >= 200 && status < 300;
  }
}

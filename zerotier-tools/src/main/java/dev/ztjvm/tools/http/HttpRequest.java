package dev.ztjvm.tools.http;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request: {@code headers} are sent in order after the ones the client adds itself ({@code Host},
 * {@code User-Agent}, {@code Accept}, {@code Content-Length}, {@code Connection}); a header given here with the same
 * name replaces the client's.
 *
 * @param method the method token, e.g. {@code GET}
 * @param uri an absolute {@code http://} URI
 * @param headers name/value pairs
 * @param body the request body, empty for none
 */
public record HttpRequest(String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body) {

  public HttpRequest {
    if (!method.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("only http:// URLs are supported, not '" + uri + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("no host in '" + uri + "'");
    }
    headers = List.copyOf(headers);
    for (Map.Entry<String, String> h : headers) {
      if (!h.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("'" + h.getKey() + "' is not a header name");
      }
      if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
        throw new IllegalArgumentException("header " + h.getKey() + " has a line break in its value");
      }
    }
  }

  /** Parses {@code Name: value} as curl's {@code -H} takes it. */
  public static Map.Entry<String, String> header(String line) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("header '" + line + "' is not 'Name: value'");
    }
    return Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
  }

  /** The TCP port: the URI's, else 80. */
  public int port() {
    return uri.getPort() < 0 ? 80 : uri.getPort();
  }

  /** The request target: path and query as written in the URI ({@code /} if empty). */
  public String target() {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /** The {@code Host} header value: the host as written (IPv6 literals in brackets) and a non-default port. */
  public String hostHeader() {
    String host = uri.getHost();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return uri.getPort() < 0 || uri.getPort() == 80 ? host : host + ":" + uri.getPort();
  }

  boolean hasHeader(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return headers.stream().anyMatch(h -> h.getKey().toLowerCase(Locale.ROOT).equals(n));
  }
}

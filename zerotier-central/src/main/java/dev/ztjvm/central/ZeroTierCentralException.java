package dev.ztjvm.central;

import org.jspecify.annotations.Nullable;

/**
 * A failed Central or controller API call. Subclasses name the common cases; this class itself covers other HTTP
 * statuses (e.g. 400), I/O failures ({@link #statusCode()} 0) and malformed responses. Messages name the method and
 * path, never the API token.
 */
public class ZeroTierCentralException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String method;
  private final String path;
  private final int statusCode;

  /**
   * Creates an exception.
   *
   * @param method     HTTP method of the request
   * @param path       request path relative to the base URL
   * @param statusCode HTTP status, or 0 if no response was received
   * @param message    what went wrong (must not contain secrets)
   * @param cause      underlying failure, if any
   */
  public ZeroTierCentralException(String method, String path, int statusCode, String message,
      @Nullable Throwable cause) {
    super(method + " " + path + ": " + message, cause);
    this.method = method;
    this.path = path;
    this.statusCode = statusCode;
  }

  /** HTTP method of the failed request. */
  public String method() {
    return method;
  }

  /** Path of the failed request, relative to the base URL. */
  public String path() {
    return path;
  }

  /** HTTP status of the response, or 0 if there was none (I/O failure, timeout). */
  public int statusCode() {
    return statusCode;
  }
}

package dev.ztjvm.central;

/** HTTP 401 or 403: the token is missing, wrong, or lacks the permission for this call. */
public final class NotAuthorizedException extends ZeroTierCentralException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for a 401 or 403 response. */
  public NotAuthorizedException(String method, String path, int statusCode, String message) {
    super(method, path, statusCode, message, null);
  }
}

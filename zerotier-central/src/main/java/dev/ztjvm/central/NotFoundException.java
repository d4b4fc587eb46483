package dev.ztjvm.central;

/** HTTP 404: the network, member or user does not exist (or is not visible to this token). */
public final class NotFoundException extends ZeroTierCentralException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for a 404 response. */
  public NotFoundException(String method, String path, String message) {
    super(method, path, 404, message, null);
  }
}

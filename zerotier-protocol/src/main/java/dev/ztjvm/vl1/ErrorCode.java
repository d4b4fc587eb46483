package dev.ztjvm.vl1;

import org.jspecify.annotations.Nullable;

/** ERROR codes (spec 3.1). */
public enum ErrorCode {
  NONE(0x00), INVALID_REQUEST(0x01), BAD_PROTOCOL_VERSION(0x02), OBJ_NOT_FOUND(0x03), IDENTITY_COLLISION(
      0x04), UNSUPPORTED_OPERATION(0x05), NEED_MEMBERSHIP_CERTIFICATE(0x06), NETWORK_ACCESS_DENIED(
          0x07), UNWANTED_MULTICAST(0x08), NETWORK_AUTHENTICATION_REQUIRED(0x09);

  private static final ErrorCode[] BY_CODE = values();

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The code's constant, or null for an unknown code. */
  public static @Nullable ErrorCode of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}

package dev.ztjvm.controller;

import dev.ztjvm.identity.Address;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;

/**
 * A stored record that exists but cannot be read (not JSON, not an object, a non-finite number…). Listings skip such
 * records and name them ({@link ControllerDatabase.Listing#unreadable()}); reading or editing that one record fails
 * with this exception until it is repaired or deleted.
 */
public final class UnreadableRecordException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long networkId;
  private final long memberAddress;

  /** @param memberAddress 0 for a network record */
  public UnreadableRecordException(long networkId, long memberAddress, String problem, Throwable cause) {
    super(name(networkId, memberAddress) + " is unreadable: " + problem, cause);
    this.networkId = networkId;
    this.memberAddress = memberAddress;
  }

  public long networkId() {
    return networkId;
  }

  /** The member's address, or 0 for a network record. */
  public long memberAddress() {
    return memberAddress;
  }

  /** The record's name: {@code network <nwid>} or {@code network <nwid> member <address>}. */
  public String recordName() {
    return name(networkId, memberAddress);
  }

  static String name(long networkId, long memberAddress) {
    return "network " + NetworkId.toString(networkId)
        + (memberAddress == 0 ? "" : " member " + Address.toString(memberAddress));
  }
}

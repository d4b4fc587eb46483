package dev.ztjvm.netstack.ip;

import org.jspecify.annotations.Nullable;

/** What a transport may ask the IP layer about addresses: which are ours, which source to use, broadcasts. */
public interface IpAddressing {

  /** True if {@code address} (4 or 16 bytes) is one of the interface's own unicast addresses. */
  boolean isLocalAddress(byte[] address);

  /**
   * The own address to send from towards {@code destination} (same family; longest matching prefix first, a
   * link-local source for a link-local destination), or {@code null} if the interface has no address of that
   * family. Returns a fresh array the caller may keep.
   */
  byte @Nullable [] sourceAddressFor(byte[] destination);

  /** True for the IPv4 limited broadcast or the directed broadcast of one of the interface's subnets. */
  boolean isBroadcast(byte[] address);

  /**
   * Adds one reference to the interface's membership of the multicast group {@code group} (4 or 16 bytes); the first
   * reference makes the interface subscribe to the group's Ethernet address.
   */
  default void joinGroup(byte[] group) {
    throw new UnsupportedOperationException("multicast groups are not supported here");
  }

  /** Drops one reference added by {@link #joinGroup}; the last one unsubscribes. */
  default void leaveGroup(byte[] group) {}
}

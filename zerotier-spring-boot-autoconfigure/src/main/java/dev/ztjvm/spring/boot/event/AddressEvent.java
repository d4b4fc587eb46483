package dev.ztjvm.spring.boot.event;

import dev.ztjvm.spring.boot.ManagedZeroTierNode;
import dev.ztjvm.vl2.IpPrefix;

/** The part the two address events share: which network, which address. Listen to a subtype. */
abstract sealed class AddressEvent extends ZeroTierEvent permits AddressAddedEvent, AddressRemovedEvent {

  private static final long serialVersionUID = 1L;

  private final long networkId;
  private final IpPrefix address;

  AddressEvent(ManagedZeroTierNode node, long networkId, IpPrefix address) {
    super(node);
    this.networkId = networkId;
    this.address = address;
  }

  /** The network ID, sixteen hex digits. */
  public String getNetworkId() {
    return ManagedZeroTierNode.formatNetworkId(networkId);
  }

  /** The address with its prefix length. */
  public IpPrefix getAddress() {
    return address;
  }
}

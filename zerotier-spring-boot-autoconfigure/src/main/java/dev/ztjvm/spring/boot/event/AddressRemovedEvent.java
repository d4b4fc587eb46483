package dev.ztjvm.spring.boot.event;

import dev.ztjvm.spring.boot.ManagedZeroTierNode;
import dev.ztjvm.vl2.IpPrefix;

/** A managed address was withdrawn on a network. */
public final class AddressRemovedEvent extends AddressEvent {

  private static final long serialVersionUID = 1L;

  /**
   * @param node the node
   * @param networkId the network the address belongs to
   * @param address the address with its prefix length
   */
  public AddressRemovedEvent(ManagedZeroTierNode node, long networkId, IpPrefix address) {
    super(node, networkId, address);
  }

  @Override
  public String getType() {
    return "ADDRESS_REMOVED";
  }

  @Override
  public String getDescription() {
    return "address " + getAddress() + " withdrawn on network " + getNetworkId();
  }
}

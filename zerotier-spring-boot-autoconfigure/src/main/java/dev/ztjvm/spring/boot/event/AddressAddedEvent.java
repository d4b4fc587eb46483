package dev.ztjvm.spring.boot.event;

import dev.ztjvm.spring.boot.ManagedZeroTierNode;
import dev.ztjvm.vl2.IpPrefix;

/** A managed address was assigned on a network. */
public final class AddressAddedEvent extends AddressEvent {

  private static final long serialVersionUID = 1L;

  /**
   * @param node the node
   * @param networkId the network the address belongs to
   * @param address the address with its prefix length
   */
  public AddressAddedEvent(ManagedZeroTierNode node, long networkId, IpPrefix address) {
    super(node, networkId, address);
  }

  @Override
  public String getType() {
    return "ADDRESS_ADDED";
  }

  @Override
  public String getDescription() {
    return "address " + getAddress() + " assigned on network " + getNetworkId();
  }
}

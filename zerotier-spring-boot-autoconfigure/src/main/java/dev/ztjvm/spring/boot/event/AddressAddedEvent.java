package dev.ztjvm.spring.boot.event;

import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.spring.boot.ManagedZeroTierNode;

/** A managed address was assigned on a network. */
public final class AddressAddedEvent extends ZeroTierEvent {

  private static final long serialVersionUID = 1L;

  private final long networkId;
  private final IpPrefix address;

  /**
   * @param node the node
   * @param networkId the network the address belongs to
   * @param address the address with its prefix length
   */
  public AddressAddedEvent(ManagedZeroTierNode node, long networkId, IpPrefix address) {
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

  @Override
  public String getType() {
    return "ADDRESS_ADDED";
  }

  @Override
  public String getDescription() {
    return "address " + address + " assigned on network " + getNetworkId();
  }
}

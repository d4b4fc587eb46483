package dev.ztjvm.spring.boot.event;

import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.spring.boot.ManagedZeroTierNode;

/** A network became usable: status OK with at least one managed address. */
public final class NetworkReadyEvent extends ZeroTierEvent {

  private static final long serialVersionUID = 1L;

  private final NetworkInfo network;

  /**
   * @param node the node
   * @param network the network, OK with at least one address
   */
  public NetworkReadyEvent(ManagedZeroTierNode node, NetworkInfo network) {
    super(node);
    this.network = network;
  }

  /** The ready network. */
  public NetworkInfo getNetwork() {
    return network;
  }

  /** The network ID, sixteen hex digits. */
  public String getNetworkId() {
    return ManagedZeroTierNode.formatNetworkId(network.networkId());
  }

  @Override
  public String getType() {
    return "NETWORK_READY";
  }

  @Override
  public String getDescription() {
    return "network " + getNetworkId() + " ready with " + network.addresses();
  }
}

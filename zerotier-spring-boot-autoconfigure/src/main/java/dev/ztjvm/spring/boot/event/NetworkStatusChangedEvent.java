package dev.ztjvm.spring.boot.event;

import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkStatus;
import org.jspecify.annotations.Nullable;
import dev.ztjvm.spring.boot.ManagedZeroTierNode;

/** A joined network changed status (e.g. REQUESTING_CONFIGURATION to ACCESS_DENIED or OK). */
public final class NetworkStatusChangedEvent extends ZeroTierEvent {

  private static final long serialVersionUID = 1L;

  private final NetworkInfo network;
  private final @Nullable NetworkStatus previousStatus;

  /**
   * @param node the node
   * @param network the network after the change
   * @param previousStatus the status before, null when the network was just joined
   */
  public NetworkStatusChangedEvent(ManagedZeroTierNode node, NetworkInfo network, @Nullable NetworkStatus previousStatus) {
    super(node);
    this.network = network;
    this.previousStatus = previousStatus;
  }

  /** The network after the change. */
  public NetworkInfo getNetwork() {
    return network;
  }

  /** The network ID, sixteen hex digits. */
  public String getNetworkId() {
    return ManagedZeroTierNode.formatNetworkId(network.networkId());
  }

  /** The status before the change, null when the network was just joined. */
  public @Nullable NetworkStatus getPreviousStatus() {
    return previousStatus;
  }

  @Override
  public String getType() {
    return "NETWORK_STATUS";
  }

  @Override
  public String getDescription() {
    return "network " + getNetworkId() + " " + previousStatus + " -> " + network.status();
  }
}

package dev.ztjvm.spring.boot.event;

import dev.ztjvm.spring.boot.ManagedZeroTierNode;
import org.springframework.context.ApplicationEvent;

/**
 * Base of every ZeroTier node event published to the application context. Listen to this type for all of them, or to
 * a subtype for one kind.
 */
public abstract sealed class ZeroTierEvent extends ApplicationEvent
    permits NodeOnlineEvent, NodeOfflineEvent, NetworkStatusChangedEvent, NetworkReadyEvent, AddressAddedEvent,
        AddressRemovedEvent, PeerPathChangedEvent {

  private static final long serialVersionUID = 1L;

  private final long nodeAddress;

  ZeroTierEvent(ManagedZeroTierNode node) {
    super(node);
    this.nodeAddress = node.address();
  }

  /** The node the event is about. */
  public ManagedZeroTierNode getNode() {
    return (ManagedZeroTierNode) getSource();
  }

  /** The node's address, ten hex digits. */
  public String getNodeId() {
    return ManagedZeroTierNode.formatAddress(nodeAddress);
  }

  /** Short type name for logs and the actuator endpoint, e.g. {@code NETWORK_READY}. */
  public abstract String getType();

  /** One-line human description. */
  public abstract String getDescription();

  @Override
  public String toString() {
    return getType() + " " + getDescription();
  }
}

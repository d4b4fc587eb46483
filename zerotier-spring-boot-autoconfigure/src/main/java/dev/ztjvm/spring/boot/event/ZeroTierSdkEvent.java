package dev.ztjvm.spring.boot.event;

import dev.ztjvm.spring.boot.ManagedZeroTierNode;
import org.springframework.context.ApplicationEvent;
import org.springframework.core.ResolvableType;
import org.springframework.core.ResolvableTypeProvider;

/**
 * An SDK event ({@link dev.ztjvm.sockets.event.ZeroTierEvent}: every record type, from {@code NodeUp} to
 * {@code StorePlanet}) republished to the application context as it arrived, in the SDK's order. The type parameter
 * is resolved from the record, so a listener can pick one kind:
 *
 * <pre>{@code
 * @EventListener
 * void networkOk(ZeroTierSdkEvent<ZeroTierEvent.NetworkOk> event) { ... event.getEvent().network() ... }
 * }</pre>
 *
 * <p>The derived, state-based events ({@link NodeOnlineEvent}, {@link NetworkReadyEvent}, ...) are published as well;
 * listen to those for "the network is usable" rather than to individual SDK steps. Note that {@code StoreIdentity}
 * carries the node's secret key (its {@code toString()} hides it).
 *
 * @param <E> the SDK record type
 */
public final class ZeroTierSdkEvent<E extends dev.ztjvm.sockets.event.ZeroTierEvent> extends ApplicationEvent
    implements ResolvableTypeProvider {

  private static final long serialVersionUID = 1L;

  private final transient E event;
  private final long nodeAddress;

  /**
   * @param node the node that emitted it
   * @param event the SDK record
   */
  public ZeroTierSdkEvent(ManagedZeroTierNode node, E event) {
    super(node);
    this.event = event;
    this.nodeAddress = node.address();
  }

  /** The SDK record. */
  public E getEvent() {
    return event;
  }

  /** The node's address, ten hex digits. */
  public String getNodeId() {
    return ManagedZeroTierNode.formatAddress(nodeAddress);
  }

  @Override
  public ResolvableType getResolvableType() {
    return ResolvableType.forClassWithGenerics(ZeroTierSdkEvent.class, event.getClass());
  }

  @Override
  public String toString() {
    return "ZeroTierSdkEvent[" + event + "]";
  }
}

package dev.ztjvm.spring.boot;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer observations of the managed node (timers and traces through Boot's {@link ObservationRegistry}):
 * <ul>
 *   <li>{@value #NODE_START}: the node's start-up, from binding its port through joining to the end of the start-up
 *       wait; an error when the start fails;
 *   <li>{@value #NETWORK_JOIN} (tag {@code zerotier.network}): from joining a network until the node's stack holds an
 *       address on it (NetworkReadyIpv4/Ipv6) — this includes the wait for authorization; an error when the node
 *       stops first.
 * </ul>
 * Both carry the node ID as a high-cardinality key value {@code zerotier.node}.
 */
public final class ZeroTierObservations implements ZeroTierEventListener {

  /** Name of the node start-up observation. */
  public static final String NODE_START = "zerotier.node.start";

  /** Name of the join-to-ready observation. */
  public static final String NETWORK_JOIN = "zerotier.network.join";

  private final ZeroTierNode node;
  private final ObservationRegistry registry;
  private final Map<Long, Observation> joining = new ConcurrentHashMap<>();

  /**
   * @param node the node observed
   * @param registry where observations go ({@link ObservationRegistry#NOOP} for none)
   */
  public ZeroTierObservations(ZeroTierNode node, ObservationRegistry registry) {
    this.node = node;
    this.registry = registry;
  }

  /** A started observation of the node's start-up. */
  public Observation nodeStart() {
    return Observation.createNotStarted(NODE_START, registry)
        .contextualName("zerotier node start")
        .highCardinalityKeyValue("zerotier.node", node.nodeIdString())
        .start();
  }

  /** Starts the join observation of {@code networkId}, ended when the network is ready (or the node stops). */
  public void joining(long networkId) {
    if (registry.isNoop()) {
      return;
    }
    node.addListener(this);
    joining.computeIfAbsent(networkId, id -> Observation.createNotStarted(NETWORK_JOIN, registry)
        .contextualName("zerotier network join")
        .lowCardinalityKeyValue("zerotier.network", ZeroTierSnapshots.networkId(id))
        .highCardinalityKeyValue("zerotier.node", node.nodeIdString())
        .start());
  }

  @Override
  public void onEvent(ZeroTierEvent event) {
    long ready = event instanceof ZeroTierEvent.NetworkReadyIpv4 v4 ? v4.network().networkId()
        : event instanceof ZeroTierEvent.NetworkReadyIpv6 v6 ? v6.network().networkId() : 0;
    Observation observation = ready == 0 ? null : joining.remove(ready);
    if (observation != null) {
      observation.stop();
    }
  }

  /** Ends the joins still waiting with an error: the node stopped before the network was ready. */
  public void nodeStopped() {
    joining.forEach((id, observation) -> {
      observation.error(new IllegalStateException("node stopped before network " + ZeroTierSnapshots.networkId(id)
          + " was ready"));
      observation.stop();
    });
    joining.clear();
    node.removeListener(this);
  }
}

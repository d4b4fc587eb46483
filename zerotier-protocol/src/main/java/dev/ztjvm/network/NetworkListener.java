package dev.ztjvm.network;

import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkConfig;
import java.util.List;

/** Events of a {@link NetworkManager}, delivered on the node's loop thread; keep handlers short. */
public interface NetworkListener {

  /** A network's status (or its reason) changed. */
  default void onStatusChanged(NetworkInfo network) {}

  /** A new config was applied (from the controller, a push, the cache, or synthesized for an ad-hoc network). */
  default void onConfigChanged(NetworkInfo network, NetworkConfig config) {}

  /** The managed addresses assigned to this node on a network changed. */
  default void onAddressesChanged(long networkId, List<IpPrefix> addresses) {}

  /** A network was left (explicitly; its tap no longer carries frames). */
  default void onLeft(long networkId) {}
}

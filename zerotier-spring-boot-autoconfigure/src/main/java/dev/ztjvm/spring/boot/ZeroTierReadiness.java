package dev.ztjvm.spring.boot;

import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The one definition of "ready" shared by start-up and health: the node is online and every expected network is
 * {@link NetworkStatus#OK} with at least one managed address. Problems are phrased as what the user must do.
 */
public final class ZeroTierReadiness {

  private ZeroTierReadiness() {}

  /** Problems that keep the node from being ready; empty when it is ready. */
  public static List<String> problems(ManagedZeroTierNode node, Collection<Long> expectedNetworks) {
    List<String> problems = new ArrayList<>();
    String nodeId = ManagedZeroTierNode.formatAddress(node.address());
    if (!node.isRunning()) {
      problems.add("node " + nodeId + " is not running");
      return problems;
    }
    if (!node.isOnline()) {
      problems.add("node " + nodeId + " is offline: no root reachable (check UDP connectivity and the planet)");
    }
    for (long nwid : expectedNetworks) {
      NetworkInfo info = node.network(nwid).orElse(null);
      String problem = info == null ? "network " + ManagedZeroTierNode.formatNetworkId(nwid) + " is not joined"
          : problem(nodeId, info);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  /** The problem with one network, or null when it is OK with an address. */
  public static @org.jspecify.annotations.Nullable String problem(String nodeId, NetworkInfo info) {
    String id = ManagedZeroTierNode.formatNetworkId(info.networkId());
    NetworkStatus status = info.status();
    return switch (status) {
      case OK -> info.addresses().isEmpty() ? "network " + id + " has no address assigned yet" : null;
      case ACCESS_DENIED -> "ACCESS_DENIED: authorize node " + nodeId + " on network " + id;
      case NOT_FOUND -> "NOT_FOUND: network " + id + " does not exist at its controller (check zerotier.network-id)";
      case REQUESTING_CONFIGURATION -> "REQUESTING_CONFIGURATION: waiting for network " + id + "'s controller";
      case CLIENT_TOO_OLD -> "CLIENT_TOO_OLD: network " + id + "'s controller requires a newer client";
      case AUTHENTICATION_REQUIRED -> "AUTHENTICATION_REQUIRED: authenticate node " + nodeId + " on network " + id
          + (info.authenticationUrl() == null ? "" : " at " + info.authenticationUrl());
      case PORT_ERROR -> status + ": " + (info.reason().isEmpty() ? "network " + id : info.reason());
    };
  }
}

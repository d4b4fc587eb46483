package dev.ztjvm.spring.boot;

import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one definition of "ready" shared by start-up, server binding and health: the node is online and every expected
 * network is {@link NetworkStatus#OK} with an address on the node's stack (sockets can be used). Problems are phrased
 * as what the user must do.
 */
public final class ZeroTierReadiness {

  private ZeroTierReadiness() {}

  /** Problems that keep the node from being ready; empty when it is ready. */
  public static List<String> problems(ZeroTierNode node, Collection<Long> expectedNetworks) {
    List<String> problems = new ArrayList<>();
    String nodeId = node.nodeIdString();
    if (!node.isRunning()) {
      problems.add("node " + nodeId + " is not running");
      return problems;
    }
    if (!node.isOnline()) {
      problems.add("node " + nodeId + " is offline: no root reachable (check UDP connectivity and the planet)");
    }
    for (long nwid : expectedNetworks) {
      NetworkDetails network = ZeroTierSnapshots.network(node, nwid).orElse(null);
      String problem = network == null ? "network " + ZeroTierSnapshots.networkId(nwid) + " is not joined"
          : problem(nodeId, network);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  /** Whether the network is OK and the node's stack holds an address on it. */
  public static boolean ready(NetworkDetails network) {
    return network.status() == NetworkStatus.OK && network.transportReady() && !network.addresses().isEmpty();
  }

  /** The problem with one network, or null when it is ready. */
  public static @Nullable String problem(String nodeId, NetworkDetails network) {
    String id = network.networkIdString();
    NetworkStatus status = network.status();
    return switch (status) {
      case OK -> ready(network) ? null : "network " + id + " has no address assigned yet";
      case ACCESS_DENIED -> "ACCESS_DENIED: authorize node " + nodeId + " on network " + id;
      case NOT_FOUND -> "NOT_FOUND: network " + id + " does not exist at its controller (check zerotier.network-id)";
      case REQUESTING_CONFIGURATION -> "REQUESTING_CONFIGURATION: waiting for network " + id + "'s controller";
      case CLIENT_TOO_OLD -> "CLIENT_TOO_OLD: network " + id + "'s controller requires a newer client";
      case AUTHENTICATION_REQUIRED -> "AUTHENTICATION_REQUIRED: authenticate node " + nodeId + " on network " + id
          + (network.authenticationUrl() == null ? "" : " at " + network.authenticationUrl());
      case PORT_ERROR -> status + ": " + (network.reason().isEmpty() ? "network " + id : network.reason());
    };
  }
}

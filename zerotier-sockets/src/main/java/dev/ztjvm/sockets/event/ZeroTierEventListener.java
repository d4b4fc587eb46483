package dev.ztjvm.sockets.event;

/**
 * Receives a node's events, in order, on the node's event thread (never on the network loop, so a slow listener
 * delays only later events, never the node). Exceptions thrown by a listener are caught and counted.
 */
@FunctionalInterface
public interface ZeroTierEventListener {

  /** Called once per event. */
  void onEvent(ZeroTierEvent event);
}

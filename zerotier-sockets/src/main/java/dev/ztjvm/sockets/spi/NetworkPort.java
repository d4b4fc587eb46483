package dev.ztjvm.sockets.spi;

/**
 * One joined network seen as an Ethernet port, as handed to a {@link HostInterfaceProvider}: this node's MAC
 * address on the network, the path for frames into the network, and multicast subscriptions.
 */
public interface NetworkPort {

  /** The 64-bit network ID. */
  long networkId();

  /** This node's 40-bit ZeroTier address. */
  long nodeId();

  /**
   * This node's 48-bit MAC address on the network. The host interface must use it as its own MAC (the network
   * drops frames from any other source address of a non-bridge member).
   */
  long mac();

  /** The network's MTU now (2800 until the first config says otherwise). */
  int mtu();

  /**
   * Sends one Ethernet frame from the host into the network. Any thread, never blocks: off the node's loop the
   * frame is copied and handed to the loop. Frames that cannot go anywhere are dropped and counted.
   */
  void sendFrame(byte[] frame, int off, int len);

  /**
   * Subscribes to an Ethernet multicast group ({@code adi} 0 except for ARP groups), so that multicasts to it
   * reach this node; what a host does when a program joins a group. The ARP and IPv6 solicited-node groups of the
   * managed addresses are subscribed automatically. Any thread.
   */
  void subscribe(long multicastMac, int adi);

  /** Leaves a group joined with {@link #subscribe}. Any thread. */
  void unsubscribe(long multicastMac, int adi);
}

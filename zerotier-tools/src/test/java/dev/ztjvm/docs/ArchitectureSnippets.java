package dev.ztjvm.docs;

import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.network.NetworkListener;
import dev.ztjvm.network.NetworkManager;
import dev.ztjvm.network.VirtualTap;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.sockets.internal.NetstackHost;
import dev.ztjvm.vl2.IpPrefix;
import java.io.IOException;
import java.util.List;

/**
 * The Java code shown in {@code docs/architecture.md}: how a joined network's {@link VirtualTap} is connected to a
 * netstack interface, which the sockets then use. {@code SelfHostedEndToEndTest} runs it and moves TCP bytes over it.
 */
final class ArchitectureSnippets {

  private ArchitectureSnippets() {}

  /** What {@link #wire} makes. */
  record Wired(NetstackHost host, NetworkInterface nif, VirtualTap tap) {}

  static Wired wire(Vl1Node node, NetworkManager manager, long nwid) throws IOException {
    // region wiring
    NetstackHost host = new NetstackHost(node.loop());   // the stack shares the node's loop thread
    VirtualTap tap = manager.join(nwid);                  // the network's virtual Ethernet port
    NetworkInterface nif = host.addInterface(
        InterfaceConfig.builder(new MacAddress(tap.mac())).mtu(tap.mtu()).build(),
        tap,                                              // stack -> network: the tap is the interface's FrameSink
        TcpConfig.defaults());
    tap.setReceiver((frame, off, len) -> host.receiveFrame(nif, frame, off, len)); // network -> stack
    manager.addListener(new NetworkListener() {           // managed addresses from the config -> the interface
      @Override
      public void onAddressesChanged(long networkId, List<IpPrefix> addresses) {
        if (networkId == nwid) {
          host.post(() -> addresses.forEach(a -> nif.addAddress(a.address(), a.bits())));
        }
      }
    });
    host.post(() -> manager.network(nwid).addresses()     // and those already assigned
        .forEach(a -> nif.addAddress(a.address(), a.bits())));
    host.setRemoteNodeResolver((n, ip, mac) ->            // ZeroTierSocket.remoteNode(): MAC -> node address
        mac == null ? -1 : dev.ztjvm.vl2.NodeMac.nodeAddress(nwid, mac.value()));
    // endregion
    return new Wired(host, nif, tap);
  }
}

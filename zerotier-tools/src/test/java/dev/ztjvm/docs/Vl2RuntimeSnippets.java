package dev.ztjvm.docs;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkListener;
import dev.ztjvm.network.NetworkManager;
import dev.ztjvm.network.NetworkOptions;
import dev.ztjvm.network.VirtualTap;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Rule;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/** The Java code shown in {@code docs/vl2-runtime.md}. */
final class Vl2RuntimeSnippets {

  private Vl2RuntimeSnippets() {}

  static void member(Vl1Node node, Path home, NetworkListener listener, long nwid) {
    // region member
    NetworkManager vl2 = new NetworkManager(node, NetworkOptions.withStorage(home)); // or NetworkOptions.inMemory()
    vl2.addListener(listener);            // onStatusChanged / onConfigChanged / onAddressesChanged / onLeft
    vl2.start();                          // installs the Vl2Hook, re-joins networks.d/*.conf, starts the 1 s tick
    VirtualTap tap = vl2.join(nwid);      // frames: tap.setReceiver(sink) (network -> stack), tap.sendFrame(...) (stack -> network)
    NetworkInfo info = vl2.network(nwid); // status, reason, name, mac, mtu, addresses, routes, revision, fromCache
    vl2.leave(nwid);
    // endregion
    System.out.println(tap + " " + info);
  }

  static void controller(Vl1Node node, Path controllerDotD, InetAddress first, InetAddress last, long address,
      InetAddress ip) throws IOException {
    // region controller
    ControllerDatabase db = new ControllerDatabase(new FileControllerStore(controllerDotD), node.address());
    NetworkController ctl = new NetworkController(node, db);
    ctl.start();                          // controller-only node; or ctl.startBehind(networkManager): the node may
                                          // then also join its own networks (configs issued locally)
    long nwid = db.createNetwork(e -> e.name("lab").addPool(first, last).addRoute(IpPrefix.parse("10.1.0.0/16"), null)
        .v4AutoAssign(true));
    db.updateMember(nwid, address, m -> m.authorized(true).addIp(ip));
    db.updateNetwork(nwid, e -> e.rules(List.of(Rule.accept())));   // the flow rules; see vl2-formats.md
    // endregion
  }
}

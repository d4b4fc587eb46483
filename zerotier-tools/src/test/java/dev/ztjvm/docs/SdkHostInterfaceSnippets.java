package dev.ztjvm.docs;

import dev.ztjvm.nativeio.LinuxTapInterface;
import dev.ztjvm.sockets.ZeroTierNode;
import java.nio.file.Path;
import java.time.Duration;

/** The OS-interface (Linux TAP) code shown in {@code docs/sdk.md}. Compiled only: it needs root and a TUN device. */
final class SdkHostInterfaceSnippets {

  private SdkHostInterfaceSnippets() {}

  static void osInterfaceMode(long nwid) throws Exception {
    // region os-interface
    ZeroTierNode node = ZeroTierNode.builder()
        .storage(Path.of("zt-home"))
        .hostInterface(LinuxTapInterface.create())          // every network; or hostInterface(nwid, provider) for one
        .build();
    node.start();
    node.awaitNetworkReady(nwid, Duration.ofSeconds(60));     // returns once the addresses are on the interface
    String dev = node.hostInterfaceName(nwid);                // "zt" + 8 characters, e.g. zt0k3v9q1a
    // e.g. in a namespace of its own (made with `ip netns add zt`; the JVM stays in its namespace):
    //   .hostInterface(LinuxTapInterface.builder().namespace("zt").build())
    // endregion
  }
}

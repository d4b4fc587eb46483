package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ZeroTierAddressesTest {

  @Test
  void knownAddresses() throws Exception {
    long nwid = 0x8056c2e21c000001L;
    long node = 0x89e92ceee5L;
    assertThat(ZeroTierAddresses.rfc4193(nwid, node))
        .isEqualTo(InetAddress.getByName("fd80:56c2:e21c:0000:0199:9389:e92c:eee5"));
    // 6PLANE: fc ‖ (0x8056c2e2 ^ 0x1c000001) ‖ node ‖ ...01
    assertThat(ZeroTierAddresses.sixPlane(nwid, node))
        .isEqualTo(InetAddress.getByName("fc9c:56c2:e389:e92c:eee5:0000:0000:0001"));
    assertThat(ZeroTierAddresses.adHocNetworkId(5000, 6000)).isEqualTo(0xff13881770000000L);
  }

  @Test
  void nodeIsRecoveredFromBothComputedAddressesAndOnlyFromThose() throws Exception {
    Random r = new Random(42);
    for (int i = 0; i < 2000; i++) {
      long nwid = r.nextLong();
      long node = r.nextLong() & 0xff_ffff_ffffL;
      assertThat(ZeroTierAddresses.nodeOf(nwid, ZeroTierAddresses.rfc4193(nwid, node))).as("seed 42 #%d", i)
          .isEqualTo(node);
      assertThat(ZeroTierAddresses.nodeOf(nwid, ZeroTierAddresses.sixPlane(nwid, node))).isEqualTo(node);
      assertThat(ZeroTierAddresses.nodeOf(nwid ^ 0x100, ZeroTierAddresses.rfc4193(nwid, node))).isEqualTo(-1);
    }
    assertThat(ZeroTierAddresses.nodeOf(1, InetAddress.getByName("10.0.0.1"))).isEqualTo(-1);
  }

  @Test
  void badAdHocRanges() {
    assertThatThrownBy(() -> ZeroTierAddresses.adHocNetworkId(10, 5)).hasMessageContaining("above its end");
    assertThatThrownBy(() -> ZeroTierAddresses.adHocNetworkId(-1, 5)).hasMessageContaining("0..65535");
  }
}

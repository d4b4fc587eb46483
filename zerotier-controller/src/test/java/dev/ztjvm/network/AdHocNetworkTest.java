package dev.ztjvm.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.vl2.IpPrefix;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An ad-hoc network (no controller): members find each other through the root's multicast directory. */
class AdHocNetworkTest {

  private static final long ADHOC = 0xff0a000000000001L; // 10.0.0.0/8, no anchor

  private static InetAddress v4(NetworkInfo i) {
    return i.addresses().stream().filter(IpPrefix::isIpv4).findFirst().orElseThrow().address();
  }

  @Test
  void arpWorksOnAnAdHocNetworkThroughTheRootsMulticastDirectory() throws Exception {
    try (Vl2Lab lab = new Vl2Lab()) {
      RootMulticastService directory = new RootMulticastService();
      lab.root.loop().call(() -> {
        lab.root.setVl2Hook(directory);
        return null;
      }, java.time.Duration.ofSeconds(5));
      Vl2Lab.Member a = lab.startMember("member1", "a");
      Vl2Lab.Member b = lab.startMember("member2", "b");
      VirtualTap tapA = a.joinCapturing(ADHOC);
      b.joinCapturing(ADHOC);
      NetworkInfo ia = a.info(ADHOC);
      NetworkInfo ib = b.info(ADHOC);
      assertThat(ia.status()).isEqualTo(NetworkStatus.OK);
      assertThat(ia.name()).isEqualTo("adhoc-10.0.0.0");
      InetAddress ipA = v4(ia);
      InetAddress ipB = v4(ib);
      assertThat(IpPrefix.parse("10.0.0.0/8").contains(ipB)).isTrue();

      byte[] request = TestFrames.arpRequest(tapA.mac(), ipA, ipB);
      byte[] got = null;
      for (int i = 0; i < 30 && got == null; i++) {
        tapA.sendFrame(request, 0, request.length);
        got = b.frames.poll(500, TimeUnit.MILLISECONDS);
      }
      assertThat(got).as("ARP request through the root's gather answer (root saw %d LIKEs, answered %d gathers)",
          directory.likes(), directory.gathersAnswered()).isEqualTo(request);
      assertThat(directory.likes()).isPositive();
      assertThat(directory.gathersAnswered()).isPositive();
    }
  }
}

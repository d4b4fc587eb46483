package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.underlay.portmap.PortMapProtocol;
import dev.ztjvm.underlay.portmap.PortMapResponder;
import dev.ztjvm.underlay.portmap.PortMapper;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ZeroTierNode.Builder#portMapping(boolean)}: the node maps its primary port on the gateway (our PCP responder
 * on loopback), advertises the mapped address to peers, and deletes the mapping when it stops.
 */
@ExtendWith(LocalZeroTierExtension.class)
class PortMappingTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static LocalZeroTier zt;

  @Test
  void mappedAddressIsAdvertisedAndDeletedOnStop() throws Exception {
    try (PortMapResponder gw = new PortMapResponder(true, "127.0.0.1", 0)) {
      // a loopback "external" address with a port nobody bound, so it differs from every bound address
      int mappedPort = LoopbackPlanet.freeUdpPort();
      gw.assignPort(mappedPort);
      InetSocketAddress mapped = new InetSocketAddress("127.0.0.1", mappedPort);
      int primaryPort;
      try (ZeroTierNode n = zt.nodeBuilder().portMappingGateway(gw.address()).build().start()) {
        primaryPort = n.primaryPort();
        Waits.until(WAIT, () -> n.portMappingState().status() == PortMapper.Status.MAPPED);
        PortMapper.State s = n.portMappingState();
        assertThat(s.mapping().protocol()).isEqualTo(PortMapProtocol.PCP);
        assertThat(s.mapping().external()).isEqualTo(mapped);
        assertThat(s.mapping().internalPort()).isEqualTo(primaryPort);
        assertThat(gw.requests.take())
            .isEqualTo(new PortMapResponder.Request("pcp", 1, primaryPort, primaryPort, 7200));
        Waits.until(WAIT, () -> n.advertisedPhysicalAddresses().contains(mapped));
      }
      assertThat(gw.requests.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(new PortMapResponder.Request("pcp", 1, primaryPort, 0, 0));
    }
  }

  @Test
  void offByDefault() throws Exception {
    try (ZeroTierNode n = zt.nodeBuilder().build().start()) {
      assertThat(n.portMappingState()).isNull();
      assertThat(n.advertisedPhysicalAddresses()).isNotEmpty().allSatisfy(a -> assertThat(a.getPort())
          .isIn(n.primaryPort(), n.secondaryPort()));
    }
  }

  @Test
  void anUnresolvedGatewayIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> ZeroTierNode.builder()
        .portMappingGateway(InetSocketAddress.createUnresolved("router.invalid", 5351)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("option 'portMappingGateway'");
  }
}

package dev.ztjvm.underlay.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client against our RFC 6887/6886 responder on loopback. */
class PortMapClientTest {
  /** Short waits so the bounded schedules finish fast on loopback. */
  static final Retransmission FAST = new Retransmission(Duration.ofMillis(300), 3, Duration.ofMillis(100), 4);

  @Test
  void pcpMapGrantsTheRequestedLifetimeAndDeletesWithLifetimeZero() throws Exception {
    try (PortMapResponder gw = new PortMapResponder(true, "203.0.113.7", 0);
        PortMapClient client = new PortMapClient(gw.address(), FAST)) {
      PortMapping m = client.map(9993, 9993, 7200);
      assertThat(m.protocol()).isEqualTo(PortMapProtocol.PCP);
      assertThat(m.lifetimeSeconds()).isEqualTo(7200);
      assertThat(m.external()).isEqualTo(new InetSocketAddress("203.0.113.7", 9993));
      assertThat(gw.requests.take()).isEqualTo(new PortMapResponder.Request("pcp", 1, 9993, 9993, 7200));
      client.unmap(m);
      assertThat(gw.requests.take()).isEqualTo(new PortMapResponder.Request("pcp", 1, 9993, 0, 0));
      assertThat(client.malformedResponses()).isZero();
    }
  }

  @Test
  void fallsBackToNatPmpWhenTheGatewayAnswersUnsupportedVersion() throws Exception {
    try (PortMapResponder gw = new PortMapResponder(false, "198.51.100.4", 3600);
        PortMapClient client = new PortMapClient(gw.address(), FAST)) {
      PortMapping m = client.map(9993, 0, 7200);
      assertThat(m.protocol()).isEqualTo(PortMapProtocol.NAT_PMP);
      assertThat(client.protocol()).isEqualTo(PortMapProtocol.NAT_PMP);
      assertThat(m.lifetimeSeconds()).isEqualTo(3600); // the gateway may grant less than asked
      assertThat(m.external()).isEqualTo(new InetSocketAddress("198.51.100.4", 40000));
      assertThat(List.of(gw.requests.take(), gw.requests.take(), gw.requests.take())).containsExactly(
          new PortMapResponder.Request("unsupported-version-2", 1, 0, 0, 0),
          new PortMapResponder.Request("nat-pmp", 0, 0, 0, 0),
          new PortMapResponder.Request("nat-pmp", 1, 9993, 0, 7200));
      // the renewal and the delete go straight to NAT-PMP
      client.map(9993, 40000, 7200);
      client.unmap(m);
      assertThat(List.of(gw.requests.take(), gw.requests.take(), gw.requests.take())).containsExactly(
          new PortMapResponder.Request("nat-pmp", 0, 0, 0, 0),
          new PortMapResponder.Request("nat-pmp", 1, 9993, 40000, 7200),
          new PortMapResponder.Request("nat-pmp", 1, 9993, 0, 0));
    }
  }

  @Test
  void pcpErrorResultIsReportedWithoutRetransmitting() throws Exception {
    try (PortMapResponder gw = new PortMapResponder(true, "203.0.113.7", 0);
        PortMapClient client = new PortMapClient(gw.address(), FAST)) {
      gw.refuseWith(8); // NO_RESOURCES
      assertThatThrownBy(() -> client.map(9993, 9993, 7200))
          .isInstanceOfSatisfying(PortMapException.class, e -> {
            assertThat(e.protocol()).isEqualTo(PortMapProtocol.PCP);
            assertThat(e.resultCode()).isEqualTo(8);
          })
          .hasMessageContaining("NO_RESOURCES");
      assertThat(gw.requests.take().protocol()).isEqualTo("pcp");
      // longer than the whole retransmission schedule (0.3 + 0.6 + 1.2 s): no second request came
      assertThat(gw.requests.poll(3, TimeUnit.SECONDS)).isNull();
    }
  }

  @Test
  void natPmpErrorResultIsReported() throws Exception {
    try (PortMapResponder gw = new PortMapResponder(false, "198.51.100.4", 0);
        PortMapClient client = new PortMapClient(gw.address(), FAST)) {
      gw.refuseWith(2);
      assertThatThrownBy(() -> client.map(9993, 0, 7200))
          .isInstanceOfSatisfying(PortMapException.class, e -> {
            assertThat(e.protocol()).isEqualTo(PortMapProtocol.NAT_PMP);
            assertThat(e.resultCode()).isEqualTo(2);
          })
          .hasMessageContaining("NOT_AUTHORIZED");
    }
  }

  @Test
  void malformedAnswersAreDroppedAndCounted() throws Exception {
    try (PortMapResponder gw = new PortMapResponder(true, "203.0.113.7", 0);
        PortMapClient client = new PortMapClient(gw.address(), FAST)) {
      gw.garbageBeforeEachAnswer(3); // truncated, wrong opcode, foreign nonce
      PortMapping m = client.map(9993, 9993, 600);
      assertThat(m.external()).isEqualTo(new InetSocketAddress("203.0.113.7", 9993));
      assertThat(client.malformedResponses()).isEqualTo(3);
      assertThat(gw.requests).hasSize(1); // the good answer came within the first wait: no retransmission
    }
  }

  @Test
  void aSilentGatewayFailsAfterTheBoundedRetransmissions() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        PortMapClient client = new PortMapClient((InetSocketAddress) silent.getLocalSocketAddress(),
            new Retransmission(Duration.ofMillis(50), 2, Duration.ofMillis(50), 2))) {
      assertThatThrownBy(() -> client.map(9993, 0, 7200))
          .isInstanceOfSatisfying(PortMapException.class,
              e -> assertThat(e.resultCode()).isEqualTo(PortMapException.NO_ANSWER))
          .hasMessageContaining("after 2 tries");
    }
  }

  @Test
  void readsTheDefaultGatewayFromProcNetRoute() {
    List<String> route = List.of(
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask",
        "eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF",
        "eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000");
    assertThat(DefaultGateway.parse(route).getHostAddress()).isEqualTo("192.168.2.1");
    assertThat(DefaultGateway.parse(route.subList(0, 2))).isNull();
  }
}

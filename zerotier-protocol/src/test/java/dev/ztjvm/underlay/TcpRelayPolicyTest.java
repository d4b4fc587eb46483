package dev.ztjvm.underlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class TcpRelayPolicyTest {

  private static final long T0 = 1_000_000;
  private static final long AFTER = TcpRelayConfig.DEFAULT_FALLBACK_AFTER_MILLIS;

  private static InetSocketAddress relay() throws Exception {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 4443);
  }

  @Test
  void fallsBackAfterSixtySecondsOfUdpSilenceAndNotBeforeTheNodeRanThatLong() throws Exception {
    TcpRelayPolicy p = new TcpRelayPolicy(new TcpRelayConfig(relay(), true, false, AFTER), T0);
    assertThat(p.useRelay(T0)).isFalse();
    assertThat(p.useRelay(T0 + AFTER)).isFalse();
    assertThat(p.useRelay(T0 + AFTER + 1)).isTrue(); // never heard anything over UDP
    assertThat(p.useUdp()).isTrue(); // still also over UDP

    assertThat(p.udpReceived(100, T0 + AFTER + 2)).as("close the tunnel once UDP works").isTrue();
    assertThat(p.useRelay(T0 + AFTER + 3)).isFalse();
    assertThat(p.useRelay(T0 + 2 * AFTER + 2)).isFalse();
    assertThat(p.useRelay(T0 + 2 * AFTER + 3)).isTrue();
  }

  @Test
  void runtsDoNotCountAsUdpThatWorks() throws Exception {
    TcpRelayPolicy p = new TcpRelayPolicy(new TcpRelayConfig(relay(), true, false, AFTER), T0);
    assertThat(p.udpReceived(15, T0 + AFTER)).isFalse();
    assertThat(p.useRelay(T0 + AFTER + 1)).isTrue();
  }

  @Test
  void forcedAlwaysRelaysNeverUsesUdpAndKeepsTheTunnel() throws Exception {
    TcpRelayPolicy p = new TcpRelayPolicy(new TcpRelayConfig(relay(), false, true, AFTER), T0);
    assertThat(p.useRelay(T0)).isTrue();
    assertThat(p.useUdp()).isFalse();
    assertThat(p.udpReceived(100, T0)).isFalse();
    assertThat(p.useRelay(T0 + 1)).isTrue();
  }

  @Test
  void disallowedOrUnconfiguredNeverRelays() throws Exception {
    TcpRelayPolicy off = new TcpRelayPolicy(new TcpRelayConfig(relay(), false, false, AFTER), T0);
    TcpRelayPolicy none = new TcpRelayPolicy(TcpRelayConfig.NONE, T0);
    assertThat(off.useRelay(T0 + 10 * AFTER)).isFalse();
    assertThat(none.useRelay(T0 + 10 * AFTER)).isFalse();
    assertThat(TcpRelayConfig.NONE.enabled()).isFalse();
  }

  @Test
  void reconnectsAreSpacedByTheBackoff() throws Exception {
    TcpRelayPolicy p = new TcpRelayPolicy(new TcpRelayConfig(relay(), true, true, AFTER), T0);
    assertThat(p.connectNow(T0)).isTrue();
    assertThat(p.connectNow(T0 + TcpRelayPolicy.RECONNECT_BACKOFF_MILLIS - 1)).isFalse();
    assertThat(p.connectNow(T0 + TcpRelayPolicy.RECONNECT_BACKOFF_MILLIS)).isTrue();
  }

  @Test
  void forceWithoutRelayAddressIsRefused() {
    assertThatThrownBy(() -> new TcpRelayConfig(null, true, true, AFTER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("forceTcpRelay needs a relay address");
    assertThat(TcpRelayConfig.ZEROTIER_PUBLIC_RELAY.toString()).isEqualTo("/204.80.128.1:443");
  }
}

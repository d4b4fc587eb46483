package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdHocNetworksTest {
  static final long SELF = 0x89e92ceee5L;

  @Test
  void portRangeNetwork() {
    long nwid = NetworkId.parse("ff0016001f000000"); // ports 22..31
    NetworkConfig nc = AdHocNetworks.config(nwid, SELF, 1000).orElseThrow();
    assertThat(nc.name()).isEqualTo("adhoc-0016-001f");
    assertThat(nc.isPrivate()).isFalse();
    assertThat(nc.mtu()).isEqualTo(2800);
    assertThat(nc.multicastLimit()).isZero();
    assertThat(nc.ndpEmulation()).isTrue();
    assertThat(nc.staticIps()).containsExactly(ManagedAddresses.sixPlane(nwid, SELF));
    assertThat(nc.rules()).hasSize(14);
    assertThat(NetworkConfig.parse(nc.toBytes())).isEqualTo(nc);

    RuleEngine e = new RuleEngine(SELF, () -> 0);
    RuleEngine.Context ctx = new RuleEngine.Context(nc.rules(), List.of(), RuleEngine.TagLookup.NONE, null,
        RuleEngine.Ownership.NONE, nc.flags());
    record C(String name, int etherType, byte[] frame, boolean accept) {}
    List<C> cases = List.of(
        new C("ipv4 dropped", Frames.IPV4, Frames.ipv4("10.0.0.1", "10.0.0.2", 17, 0, Frames.udp(1, 25, 0)), false),
        new C("icmpv6", Frames.IPV6, Frames.ipv6("fc00::1", "fc00::2", 58, 0, Frames.icmp(128, 0)), true),
        new C("udp in range", Frames.IPV6, Frames.ipv6("fc00::1", "fc00::2", 17, 0, Frames.udp(999, 25, 0)), true),
        new C("tcp syn in range", Frames.IPV6,
            Frames.ipv6("fc00::1", "fc00::2", 6, 0, Frames.tcp(999, 31, 0x02, 0)), true),
        new C("tcp syn out of range", Frames.IPV6,
            Frames.ipv6("fc00::1", "fc00::2", 6, 0, Frames.tcp(999, 80, 0x02, 0)), false),
        new C("tcp syn-ack from range", Frames.IPV6,
            Frames.ipv6("fc00::1", "fc00::2", 6, 0, Frames.tcp(80, 999, 0x12, 0)), true),
        new C("tcp ack", Frames.IPV6, Frames.ipv6("fc00::1", "fc00::2", 6, 0, Frames.tcp(80, 999, 0x10, 5)), true),
        // 1.14 quirk: the "not SYN -> accept" pair does not check for TCP, so any UDP passes as well
        new C("udp out of range", Frames.IPV6, Frames.ipv6("fc00::1", "fc00::2", 17, 0, Frames.udp(1, 53, 0)), true));
    for (C c : cases) {
      FilterResult r = e.filterInbound(ctx, 0x1234567890L, SELF, 1, 2, c.etherType(), 0, c.frame(), 0,
          c.frame().length, new FilterResult());
      assertThat(r.accepted()).as(c.name()).isEqualTo(c.accept());
    }
  }

  @Test
  void ipv4Network() {
    long nwid = NetworkId.parse("ff0a112233445501");
    NetworkConfig nc = AdHocNetworks.config(nwid, SELF, 1000).orElseThrow();
    assertThat(nc.name()).isEqualTo("adhoc-10.0.0.0");
    assertThat(nc.multicastLimit()).isEqualTo(1024);
    assertThat(nc.staticIps()).containsExactly(ManagedAddresses.sixPlane(nwid, SELF),
        IpPrefix.parse("10.44.238.229/8"));
    assertThat(nc.specialists()).containsExactly(0x1122334455L);
    assertThat(nc.rules()).containsExactly(Rule.accept());
    assertThat(AdHocNetworks.config(NetworkId.parse("ff0a000000000001"), SELF, 0).orElseThrow().specialists())
        .isEmpty();
  }

  @Test
  void invalidAdHocIds() {
    assertThat(AdHocNetworks.config(NetworkId.parse("ff001f0016000000"), SELF, 0)).isEmpty();
    assertThat(AdHocNetworks.config(NetworkId.parse("ff00000000000002"), SELF, 0)).isEmpty();
    assertThat(AdHocNetworks.config(NetworkId.parse("8056c2e21c000001"), SELF, 0)).isEmpty();
  }
}

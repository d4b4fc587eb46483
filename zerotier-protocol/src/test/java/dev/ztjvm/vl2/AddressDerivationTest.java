package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.testing.SharedData;
import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AddressDerivationTest {

  @Test
  void everyVectorEntryDerivesControllerMacRfc4193And6plane() {
    JsonNode entries = SharedData.vectorJson("vl2.json").get("address_derivations").get("entries");
    assertThat(entries.size()).isGreaterThanOrEqualTo(5);
    for (JsonNode e : entries) {
      long nwid = NetworkId.parse(e.get("network_id").asString());
      long node = Long.parseLong(e.get("node_address").asString(), 16);
      assertThat(NetworkId.toString(nwid)).isEqualTo(e.get("network_id").asString());
      assertThat(Long.toHexString(NetworkId.controllerAddress(nwid)))
          .isEqualTo(e.get("controller_address").asString().replaceFirst("^0+(?!$)", ""));
      long mac = NodeMac.forNode(nwid, node);
      assertThat(MacAddress.toString(mac)).as("mac of %s", e).isEqualTo(e.get("mac").asString());
      assertThat(NodeMac.nodeAddress(nwid, mac)).isEqualTo(node);
      assertThat(MacAddress.parse(e.get("mac").asString()).value()).isEqualTo(mac);
      assertThat(ManagedAddresses.rfc4193(nwid, node).toString()).isEqualTo(e.get("rfc4193").asString());
      assertThat(ManagedAddresses.sixPlane(nwid, node).toString()).isEqualTo(e.get("sixplane").asString());
      byte[] r = ManagedAddresses.rfc4193(nwid, node).address().getAddress();
      assertThat(ManagedAddresses.isRfc4193Of(nwid, r, 0)).isTrue();
      assertThat(ManagedAddresses.isRfc4193Of(nwid ^ 1, r, 0)).isFalse();
      byte[] s = ManagedAddresses.sixPlane(nwid, node).address().getAddress();
      assertThat(ManagedAddresses.isSixPlaneOf(nwid, s, 0)).isTrue();
    }
  }

  @Test
  void specExampleMac() {
    assertThat(MacAddress.toString(NodeMac.forNode(0x8056c2e21c000001L, 0x89e92ceee5L)))
        .isEqualTo("02:89:e9:30:0c:27");
    // a MAC with a foreign first octet is not a node MAC of this network
    assertThat(NodeMac.nodeAddress(0x8056c2e21c000001L, 0x0489e9300c27L)).isEqualTo(-1);
  }

  @Test
  void networkIdFormsAndAdHoc() {
    assertThat(NetworkId.toString(0x1L)).isEqualTo("0000000000000001");
    assertThatThrownBy(() -> NetworkId.parse("123")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkId.parse("zz56c2e21c000001")).isInstanceOf(IllegalArgumentException.class);
    long adhoc = NetworkId.parse("ff0016001f000000");
    assertThat(NetworkId.isAdHoc(adhoc)).isTrue();
    assertThat(NetworkId.adHocPortRange(adhoc)).contains(new NetworkId.PortRange(0x16, 0x1f));
    assertThat(NetworkId.adHocPortRange(NetworkId.parse("ff001f0016000000"))).isEmpty(); // EEEE < SSSS
    assertThat(NetworkId.adHocPortRange(NetworkId.parse("8056c2e21c000001"))).isEmpty();
    long v4 = NetworkId.parse("ff0a89e92ceee501");
    assertThat(NetworkId.adHocIpv4Prefix(v4)).contains(10);
    assertThat(NetworkId.adHocHubAddress(v4)).isEqualTo(0x89e92ceee5L);
    assertThat(NetworkId.isAdHoc(0x8056c2e21c000001L)).isFalse();
  }

  @Test
  void multicastGroups() throws Exception {
    assertThat(MulticastGroup.forArpTarget((Inet4Address) IpPrefix.parseIp("10.147.17.11")))
        .isEqualTo(new MulticastGroup(0xffffffffffffL, 0x0a93110b));
    Inet6Address v6 = (Inet6Address) IpPrefix.parseIp("fd80:56c2:e21c:0:199:9389:e92c:eee5");
    assertThat(MulticastGroup.forIpv6SolicitedNode(v6).mac()).isEqualTo(0x3333ff2ceee5L);
    assertThat(MulticastGroup.forIpv6SolicitedNode(v6).adi()).isZero();
    // ARP request who-has 10.147.17.12 from the run-01 capture layout
    byte[] arp = SharedData.hex("0001080006040001" + "02c28c2b376d" + "0a93110b" + "000000000000" + "0a93110c");
    assertThat(MulticastGroup.forBroadcastFrame(0x0806, arp, 0, arp.length))
        .isEqualTo(MulticastGroup.forArpTarget(0x0a93110c));
    arp[7] = 2; // a reply is not scoped
    assertThat(MulticastGroup.forBroadcastFrame(0x0806, arp, 0, arp.length)).isEqualTo(MulticastGroup.BROADCAST);
    assertThat(MulticastGroup.forBroadcastFrame(0x0800, arp, 0, arp.length)).isEqualTo(MulticastGroup.BROADCAST);
  }

  @Test
  void ipPrefixFormattingAndContainment() {
    assertThat(IpPrefix.parse("10.147.17.5/24").contains(IpPrefix.parseIp("10.147.17.200"))).isTrue();
    assertThat(IpPrefix.parse("10.147.17.5/24").contains(IpPrefix.parseIp("10.147.18.1"))).isFalse();
    assertThat(IpPrefix.parse("10.147.17.5/24").contains(IpPrefix.parseIp("::1"))).isFalse();
    assertThat(IpPrefix.parse("::/0").toString()).isEqualTo("::/0");
    assertThat(IpPrefix.parse("1:0:0:2:0:0:0:3/64").toString()).isEqualTo("1:0:0:2::3/64");
    assertThat(IpPrefix.parse("::ffff:10.0.0.1/128").address()).isInstanceOf(Inet6Address.class);
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/33")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpPrefix.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
  }
}

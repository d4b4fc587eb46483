package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.WireFormatException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NetworkConfigTest {
  private static final JsonNode VL2 = SharedData.vectorJson("vl2.json");

  @Test
  void vectorConfigParsesEveryFieldAndRoundTripsByteForByte() {
    byte[] dict = SharedData.hex(VL2.get("network_config").get("dictionary_hex").asString());
    Identity a = Vl2TestData.vectorIdentity("A");
    Identity b = Vl2TestData.vectorIdentity("B");
    NetworkConfig nc = NetworkConfig.parse(dict);

    assertThat(nc.version()).isEqualTo(7);
    assertThat(nc.networkId()).isEqualTo(0x4f3f5c640a000001L);
    assertThat(nc.issuedTo()).isEqualTo(b.address());
    assertThat(nc.timestamp()).isEqualTo(1700000000000L);
    assertThat(nc.credentialTimeMaxDelta()).isEqualTo(7200000L);
    assertThat(nc.revision()).isEqualTo(5);
    assertThat(nc.isPrivate()).isTrue();
    assertThat(nc.broadcastEnabled()).isTrue();
    assertThat(nc.ndpEmulation()).isTrue();
    assertThat(nc.mtu()).isEqualTo(2800);
    assertThat(nc.multicastLimit()).isEqualTo(32);
    assertThat(nc.name()).isEqualTo("testnet");
    assertThat(nc.routes()).containsExactly(Route.direct(IpPrefix.parse("10.147.17.0/24")));
    assertThat(nc.staticIps()).containsExactly(IpPrefix.parse("10.147.17.5/24"),
        ManagedAddresses.rfc4193(nc.networkId(), b.address()));
    assertThat(nc.rules()).containsExactly(Rule.accept());
    assertThat(nc.tags()).hasSize(1);
    assertThat(nc.tags().get(0).id()).isEqualTo(100);
    assertThat(nc.tags().get(0).value()).isEqualTo(7);
    assertThat(nc.tags().get(0).verify(a)).isTrue();
    assertThat(nc.tags().get(0).verify(b)).isFalse();
    assertThat(nc.certificatesOfOwnership()).hasSize(1);
    CertificateOfOwnership coo = nc.certificatesOfOwnership().get(0);
    assertThat(coo.verify(a)).isTrue();
    assertThat(coo.ownsIp(IpPrefix.parseIp("10.147.17.5"))).isTrue();
    assertThat(coo.ownsIp(IpPrefix.parseIp("10.147.17.6"))).isFalse();
    assertThat(coo.ownsIp(ManagedAddresses.rfc4193(nc.networkId(), b.address()).address())).isTrue();
    assertThat(nc.com()).isNotNull();
    assertThat(nc.com().verify(a)).isTrue();
    assertThat(nc.com().issuedTo()).isEqualTo(b.address());
    assertThat(nc.dns()).isEqualTo(DnsConfig.NONE);
    assertThat(nc.sso()).isEqualTo(SsoConfig.DISABLED);
    assertThat(nc.extra().size()).isZero();

    assertThat(SharedData.hex(nc.toBytes())).isEqualTo(SharedData.hex(dict));
    assertThat(NetworkConfig.parse(nc.toBytes())).isEqualTo(nc);
  }

  @Test
  void unknownKeysAreKeptAndNotFatal() {
    byte[] dict = SharedData.hex(VL2.get("network_config").get("dictionary_hex").asString());
    Dictionary d = Dictionary.parse(dict);
    d.putString("zz", "future\nvalue").putBytes("XBIN", new byte[] {0, 1, 2, '='});
    NetworkConfig nc = NetworkConfig.fromDictionary(d);
    assertThat(nc.extra().keys()).containsExactly("zz", "XBIN");
    Dictionary back = Dictionary.parse(nc.toBytes());
    assertThat(back.getString("zz")).contains("future\nvalue");
    assertThat(back.getBytes("XBIN")).containsExactly(0, 1, 2, '=');
    assertThat(back).isEqualTo(d);
  }

  @Test
  void requiredKeysAndClamping() {
    Dictionary d = new Dictionary().putU64("v", 7).putU64("nwid", 1).putAddress("id", 0x1122334455L);
    NetworkConfig nc = NetworkConfig.fromDictionary(d);
    assertThat(nc.mtu()).isEqualTo(2800);
    assertThat(nc.effectiveRules()).containsExactly(Rule.accept());
    assertThat(NetworkConfig.fromDictionary(d.copy().putU64("mtu", 100)).mtu()).isEqualTo(1280);
    assertThat(NetworkConfig.fromDictionary(d.copy().putU64("mtu", 99999)).mtu()).isEqualTo(10000);
    assertThatThrownBy(() -> NetworkConfig.fromDictionary(d.copy().putU64("nwid", 0)))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("nwid");
    assertThatThrownBy(() -> NetworkConfig.fromDictionary(d.copy().putU64("v", 5)))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("version");
    Dictionary noId = d.copy();
    noId.remove("id");
    assertThatThrownBy(() -> NetworkConfig.fromDictionary(noId)).isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> NetworkConfig.fromDictionary(d.copy().putBytes("RT", new byte[] {9})))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void builtConfigWithEveryFieldRoundTrips() {
    Identity a = Vl2TestData.vectorIdentity("A");
    Identity b = Vl2TestData.vectorIdentity("B");
    long nwid = 0x4f3f5c640a000001L;
    NetworkConfig nc = NetworkConfig.builder(nwid, b.address())
        .timestamp(1234).revision(9).remoteTrace(0x1111111111L, 3)
        .flags(NetworkConfig.FLAG_ENABLE_BROADCAST | NetworkConfig.FLAG_DISABLE_COMPRESSION)
        .multicastLimit(0).type(NetworkConfig.TYPE_PUBLIC).name("every-field").mtu(9000)
        .com(CertificateOfMembership.issue(nwid, 1234, 7200000, b).sign(a))
        .capabilities(List.of(Capability.of(nwid, 1234, 42, List.of(Rule.matchEthertype(0x0800), Rule.accept()), 2)
            .sign(a, b.address())))
        .tags(List.of(Tag.of(nwid, 1234, 1, 2, b.address()).sign(a), Tag.of(nwid, 1234, 5, 6, b.address()).sign(a)))
        .certificatesOfOwnership(List.of(CertificateOfOwnership.of(nwid, 1234, 0, 1,
            List.of(CertificateOfOwnership.Thing.ip(IpPrefix.parseIp("10.0.0.1")),
                CertificateOfOwnership.Thing.mac(0x02aabbccddeeL)), b.address()).sign(a)))
        .specialists(List.of(0x1122334455L | NetworkConfig.SPECIALIST_ACTIVE_BRIDGE,
            0x5544332211L | NetworkConfig.SPECIALIST_MULTICAST_REPLICATOR))
        .routes(List.of(Route.direct(IpPrefix.parse("10.0.0.0/8")),
            new Route(IpPrefix.parse("0.0.0.0/0"), new IpPrefix(IpPrefix.parseIp("10.0.0.254"), 0), 1, 100),
            Route.direct(IpPrefix.parse("fd00::/8"))))
        .staticIps(List.of(IpPrefix.parse("10.0.0.1/8"), ManagedAddresses.sixPlane(nwid, b.address())))
        .rules(List.of(Rule.matchEthertype(0x0800).inverted(), Rule.drop(), Rule.accept()))
        .dns(new DnsConfig("example.internal", List.of(new java.net.InetSocketAddress(IpPrefix.parseIp("10.0.0.53"),
            53))))
        .sso(new SsoConfig(1, true, "", 0, "https://issuer", "https://central", "n1", "s1", "cid", "default"))
        .build();
    NetworkConfig back = NetworkConfig.parse(nc.toBytes());
    assertThat(back).isEqualTo(nc);
    assertThat(back.specialistsWith(NetworkConfig.SPECIALIST_ACTIVE_BRIDGE)).containsExactly(0x1122334455L);
    assertThat(back.capabilities().get(0).verify(a)).isTrue();
    assertThat(back.tag(5).value()).isEqualTo(6);
    assertThat(back.tag(7)).isNull();
    assertThat(Arrays.equals(back.toBytes(), nc.toBytes())).isTrue();

    NetworkConfig v0 = nc.toBuilder().sso(new SsoConfig(0, true, "https://auth", 99, "", "", "", "", "", ""))
        .build();
    Dictionary d = v0.toDictionary();
    assertThat(d.getString("aurl")).contains("https://auth");
    assertThat(d.getI64("aexpt", 0)).isEqualTo(99);
    assertThat(d.contains("iurl")).isFalse();
    assertThat(NetworkConfig.parse(v0.toBytes())).isEqualTo(v0);
  }
}

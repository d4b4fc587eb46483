package dev.ztjvm.underlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhysicalPathPolicyTest {

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void scopesAreClassifiedAsZeroTierDoes() throws Exception {
    assertThat(AddressScope.of(ip("127.0.0.1"))).isEqualTo(AddressScope.LOOPBACK);
    assertThat(AddressScope.of(ip("::1"))).isEqualTo(AddressScope.LOOPBACK);
    assertThat(AddressScope.of(ip("10.1.2.3"))).isEqualTo(AddressScope.PRIVATE);
    assertThat(AddressScope.of(ip("172.31.0.1"))).isEqualTo(AddressScope.PRIVATE);
    assertThat(AddressScope.of(ip("172.32.0.1"))).isEqualTo(AddressScope.GLOBAL);
    assertThat(AddressScope.of(ip("192.168.1.1"))).isEqualTo(AddressScope.PRIVATE);
    assertThat(AddressScope.of(ip("100.64.0.1"))).isEqualTo(AddressScope.SHARED);
    assertThat(AddressScope.of(ip("169.254.1.1"))).isEqualTo(AddressScope.LINK_LOCAL);
    assertThat(AddressScope.of(ip("224.0.0.1"))).isEqualTo(AddressScope.MULTICAST);
    assertThat(AddressScope.of(ip("0.1.2.3"))).isEqualTo(AddressScope.NONE);
    assertThat(AddressScope.of(ip("8.8.8.8"))).isEqualTo(AddressScope.GLOBAL);
    assertThat(AddressScope.of(ip("fe80::1"))).isEqualTo(AddressScope.LINK_LOCAL);
    assertThat(AddressScope.of(ip("fd00::1"))).isEqualTo(AddressScope.PRIVATE);
    assertThat(AddressScope.of(ip("ff02::1"))).isEqualTo(AddressScope.MULTICAST);
    assertThat(AddressScope.of(ip("2001:db8::1"))).isEqualTo(AddressScope.GLOBAL);
  }

  @Test
  void defaultPolicyRefusesLoopbackLikeStockZeroTier() throws Exception {
    assertThat(PhysicalPathPolicy.DEFAULT.isAllowed(ip("127.0.0.1"))).isFalse();
    assertThat(PhysicalPathPolicy.DEFAULT.isAllowed(ip("::1"))).isFalse();
    assertThat(PhysicalPathPolicy.DEFAULT.isAllowed(ip("192.168.1.1"))).isTrue();
    assertThat(PhysicalPathPolicy.DEFAULT.isAllowed(ip("fe80::1"))).isFalse();
    assertThat(PhysicalPathPolicy.DEFAULT.isAllowed(ip("2001:470::1"))).isFalse();
    assertThat(PhysicalPathPolicy.DEFAULT.isAllowed(ip("2001:471::1"))).isTrue();
  }

  @Test
  void loopbackIsAllowedOnlyByExplicitSetting() throws Exception {
    PhysicalPathPolicy p = PhysicalPathPolicy.DEFAULT.withAllowLoopback(true);
    assertThat(p.isAllowed(ip("127.0.0.1"))).isTrue();
    assertThat(p.isAllowed(ip("::1"))).isTrue();
    assertThat(p.isAllowed(ip("224.0.0.1"))).isFalse();
  }

  @Test
  void blockedPrefixesAndVirtualNetworkRangesAreRefused() throws Exception {
    Prefix zt = Prefix.parse("10.147.17.0/24");
    PhysicalPathPolicy p =
        new PhysicalPathPolicy(false, List.of(Prefix.parse("192.168.0.0/16")), zt::contains);
    assertThat(p.isAllowed(ip("192.168.5.5"))).isFalse();
    assertThat(p.isAllowed(ip("10.147.17.9"))).isFalse();
    assertThat(p.isAllowed(ip("10.147.18.9"))).isTrue();
  }

  @Test
  void prefixParsingAndContainment() throws Exception {
    Prefix p = Prefix.parse("fd00:1234::/33");
    assertThat(p.contains(ip("fd00:1234:7fff::1"))).isTrue();
    assertThat(p.contains(ip("fd00:1234:8000::1"))).isFalse();
    assertThat(p.contains(ip("10.0.0.1"))).isFalse();
    assertThat(Prefix.parse("10.0.0.1").bits()).isEqualTo(32);
    assertThatThrownBy(() -> Prefix.parse("10.0.0.0/33")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Prefix.parse("example.com/8")).hasMessageContaining("Not an IP prefix");
  }
}

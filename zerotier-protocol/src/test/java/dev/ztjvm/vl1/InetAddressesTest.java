package dev.ztjvm.vl1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.vl2.IpPrefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Raw-bytes and literal conversions, which VL1 endpoints and VL2 prefixes share. */
class InetAddressesTest {

  private static final byte[] MAPPED = HexFormat.of().parseHex("00000000000000000000ffff0a010203");

  @Test
  void sixteenBytesStayIpv6EvenWhenIpv4Mapped() {
    InetAddress a = InetAddresses.address(MAPPED);
    assertThat(a).isInstanceOf(Inet6Address.class);
    assertThat(a.getAddress()).isEqualTo(MAPPED);
    assertThat(IpPrefix.ip(MAPPED)).isEqualTo(a);
    assertThat(InetAddresses.of(MAPPED, 9993).getAddress()).isEqualTo(a);
    assertThat(InetAddresses.address(new byte[] {10, 1, 2, 3})).isInstanceOf(Inet4Address.class);
  }

  @Test
  void mappedLiteralsParseAsIpv6() {
    assertThat(InetAddresses.parseIp("::ffff:10.1.2.3").getAddress()).isEqualTo(MAPPED);
    assertThat(InetAddresses.parseIp("::ffff:10.1.2.3")).isInstanceOf(Inet6Address.class);
    assertThat(IpPrefix.parseIp("::ffff:10.1.2.3")).isInstanceOf(Inet6Address.class);
    assertThat(IpPrefix.parse("::ffff:10.1.2.3/120").address().getAddress()).isEqualTo(MAPPED);
    assertThat(InetAddresses.asIpv6(InetAddresses.parseIp("10.1.2.3")).getAddress()).isEqualTo(MAPPED);
  }

  @Test
  void otherLengthsAreRefusedWithTheLength() {
    assertThatThrownBy(() -> InetAddresses.address(new byte[5])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("IP address must be 4 or 16 bytes, got 5");
    assertThatThrownBy(() -> IpPrefix.ip(new byte[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("IP address must be 4 or 16 bytes, got 0");
  }
}

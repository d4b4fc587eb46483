package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.sockets.dns.DnsMessage;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ZeroTierNode#resolve}: A and AAAA records through a DNS server the controller pushes, reached over the
 * network's IPv6 (RFC4193) address, and NXDOMAIN as {@link UnknownHostException}.
 */
class DnsOverZeroTierTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void resolvesIpv4AndIpv6ThroughAnIpv6DnsServerOnTheNetwork() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      long nwid = zt.createPublicNetwork("dns6", "10.147.71.0/24", "10.147.71.10", "10.147.71.20", true);
      try (ZeroTierNode a = zt.nodeBuilder().build(); ZeroTierNode b = zt.nodeBuilder().build()) {
        a.awaitNetworkReady(nwid, WAIT);
        b.awaitNetworkReady(nwid, WAIT);
        ZeroTierNodeTest.waitUntil(() -> b.network(nwid).ipv6().isPresent() && a.network(nwid).ipv6().isPresent());
        InetAddress b4 = b.network(nwid).ipv4().orElseThrow();
        InetAddress b6 = b.network(nwid).ipv6().orElseThrow();
        assertThat(b6).isInstanceOf(Inet6Address.class);
        try (ZeroTierDatagramSocket dns = b.newDatagramSocket(53)) {
          DnsResponder.start(dns, query -> answer(query, b4, b6));
          zt.setDns(nwid, "lab", List.of(b6));
          ZeroTierNodeTest.waitUntil(() -> !a.dnsServers().isEmpty());
          assertThat(a.dnsServers()).containsExactly(new InetSocketAddress(b6, 53));
          assertThat(a.resolve("db.lab", Duration.ofSeconds(3))).containsExactlyInAnyOrder(b4, b6);
          assertThatThrownBy(() -> a.resolve("nothing.lab", Duration.ofSeconds(3)))
              .isInstanceOf(UnknownHostException.class);
        }
      }
    }
  }

  /** Answers "db.lab" with one A or AAAA record and every other name with NXDOMAIN. */
  static byte[] answer(byte[] query, InetAddress v4, InetAddress v6) {
    int qEnd = 12;
    StringBuilder name = new StringBuilder();
    while (query[qEnd] != 0) {
      int n = query[qEnd] & 0xff;
      name.append(name.length() == 0 ? "" : ".").append(new String(query, qEnd + 1, n,
          java.nio.charset.StandardCharsets.US_ASCII));
      qEnd += 1 + n;
    }
    qEnd += 5;
    int type = ((query[qEnd - 4] & 0xff) << 8) | (query[qEnd - 3] & 0xff);
    byte[] rdata = !name.toString().equals("db.lab") ? null
        : type == DnsMessage.TYPE_A ? v4.getAddress() : type == DnsMessage.TYPE_AAAA ? v6.getAddress() : null;
    byte[] r = Arrays.copyOf(query, qEnd + (rdata == null ? 0 : 12 + rdata.length));
    r[2] = (byte) 0x81;
    r[3] = (byte) (name.toString().equals("db.lab") ? 0x80 : 0x80 | DnsMessage.RCODE_NXDOMAIN);
    r[7] = (byte) (rdata == null ? 0 : 1);
    if (rdata != null) {
      int o = qEnd;
      r[o++] = (byte) 0xc0; // pointer to the question name
      r[o++] = 12;
      r[o++] = 0;
      r[o++] = (byte) type;
      r[o++] = 0;
      r[o++] = 1; // IN
      o += 3;
      r[o++] = 60; // TTL
      r[o++] = 0;
      r[o++] = (byte) rdata.length;
      System.arraycopy(rdata, 0, r, o, rdata.length);
    }
    return r;
  }
}

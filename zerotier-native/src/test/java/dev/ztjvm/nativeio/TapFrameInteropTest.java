package dev.ztjvm.nativeio;

import static dev.ztjvm.nativeio.testing.Frames.ETHERTYPE_ARP;
import static dev.ztjvm.nativeio.testing.Frames.ETHERTYPE_IPV4;
import static dev.ztjvm.nativeio.testing.Frames.ETHERTYPE_IPV6;
import static dev.ztjvm.nativeio.testing.Frames.PROTO_ICMP;
import static dev.ztjvm.nativeio.testing.Frames.PROTO_ICMPV6;
import static dev.ztjvm.nativeio.testing.Frames.PROTO_UDP;
import static dev.ztjvm.nativeio.testing.Frames.etherType;
import static dev.ztjvm.nativeio.testing.Frames.ip;
import static dev.ztjvm.nativeio.testing.Frames.slice;
import static dev.ztjvm.nativeio.testing.Frames.u16;
import static dev.ztjvm.nativeio.testing.NetnsFixture.LINUX_V4;
import static dev.ztjvm.nativeio.testing.NetnsFixture.LINUX_V6;
import static dev.ztjvm.nativeio.testing.NetnsFixture.OUR_V4;
import static dev.ztjvm.nativeio.testing.NetnsFixture.OUR_V6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.nativeio.testing.Frames;
import dev.ztjvm.nativeio.testing.LinuxProcess;
import dev.ztjvm.nativeio.testing.NetnsFixture;
import dev.ztjvm.testing.NeedsRoot;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Frames flow between Linux and our TAP descriptor, with no stack of ours in between: this test plays a host on
 * the TAP's wire by reading Linux's frames and writing frames built by hand, and Linux (inside a network namespace
 * the test creates and removes) is the judge — its ARP/neighbour tables, its ICMP echo replies and datagrams
 * delivered to a program of its own. It needs root, /dev/net/tun and iproute2; it fails (never skips) without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@NeedsRoot("TAP device in a network namespace")
class TapFrameInteropTest {

  private static final byte[] OUR_MAC = {0x02, 0x00, 0x00, 0x77, 0x00, 0x02};
  private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final HexFormat HEX = HexFormat.ofDelimiter(":");

  private static NetnsFixture net;
  private final byte[] buf = new byte[TapDevice.MAX_FRAME];
  private final List<String> skipped = new ArrayList<>();

  @BeforeAll
  static void createNamespace() {
    net = NetnsFixture.create(1500);
  }

  @AfterAll
  static void removeNamespace() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  @Order(1)
  void linuxResolvesUsWithArpAndDeliversItsUdpDatagram() throws Exception {
    try (LinuxProcess sender = net.startPeer("udp-send", OUR_V4, "4000", "hello-from-linux")) {
      // Linux must first ask who has OUR_V4: a broadcast ARP request from its TAP MAC and address.
      byte[] arp = awaitFrame("ARP request for " + OUR_V4,
          f -> etherType(f) == ETHERTYPE_ARP && u16(f, 20) == 1 && Arrays.equals(slice(f, 38, 4), ip(OUR_V4)));
      assertThat(slice(arp, 0, 6)).containsExactly(BROADCAST);
      assertThat(slice(arp, 6, 6)).containsExactly(net.linuxMac());
      assertThat(slice(arp, 22, 6)).as("sender hardware address").containsExactly(net.linuxMac());
      assertThat(slice(arp, 28, 4)).as("sender protocol address").containsExactly(ip(LINUX_V4));

      write(Frames.arpReply(OUR_MAC, ip(OUR_V4), net.linuxMac(), ip(LINUX_V4)));

      // With our MAC known, the queued datagram comes out, addressed to us.
      byte[] udp = awaitFrame("UDP datagram to " + OUR_V4 + ":4000",
          f -> isIpv4(f, PROTO_UDP) && Arrays.equals(slice(f, 30, 4), ip(OUR_V4)) && u16(f, 36) == 4000);
      assertThat(slice(udp, 0, 6)).as("destination MAC").containsExactly(OUR_MAC);
      assertThat(slice(udp, 26, 4)).containsExactly(ip(LINUX_V4));
      assertThat(Frames.ipv4HeaderChecksumOk(udp)).isTrue();
      assertThat(Frames.transportChecksumOk(udp, udp.length)).isTrue();
      int udpLength = u16(udp, 38);
      assertThat(new String(udp, 42, udpLength - 8, StandardCharsets.US_ASCII)).isEqualTo("hello-from-linux");
      sender.awaitSuccess(LIMIT);
    }
    assertThat(net.ip("neigh", "show", OUR_V4, "dev", net.tapName())).contains(HEX.formatHex(OUR_MAC));
  }

  @Test
  @Order(2)
  void linuxAnswersOurHandBuiltIcmpEcho() throws Exception {
    byte[] data = "ping-from-java-0123456789".getBytes(StandardCharsets.US_ASCII);
    byte[] icmp = Frames.icmpv4Echo(8, 0x7a7a, 1, data);
    write(Frames.ipv4(net.linuxMac(), OUR_MAC, ip(OUR_V4), ip(LINUX_V4), PROTO_ICMP, icmp));

    byte[] reply = awaitFrame("ICMP echo reply from " + LINUX_V4,
        f -> isIpv4(f, PROTO_ICMP) && Arrays.equals(slice(f, 26, 4), ip(LINUX_V4)) && f[34] == 0);
    assertThat(slice(reply, 0, 6)).containsExactly(OUR_MAC);
    assertThat(slice(reply, 30, 4)).containsExactly(ip(OUR_V4));
    assertThat(u16(reply, 38)).as("identifier").isEqualTo(0x7a7a);
    assertThat(u16(reply, 40)).as("sequence").isEqualTo(1);
    assertThat(slice(reply, 42, data.length)).containsExactly(data);
    assertThat(Frames.ipv4HeaderChecksumOk(reply)).isTrue();
    assertThat(Frames.transportChecksumOk(reply, reply.length)).isTrue();
  }

  @Test
  @Order(3)
  void linuxSolicitsUsOverIpv6AndAnswersOurIcmpv6Echo() throws Exception {
    byte[] data = "ping6-from-java".getBytes(StandardCharsets.US_ASCII);
    byte[] echo = Frames.icmpv6Echo(ip(OUR_V6), ip(LINUX_V6), 128, 0x6b6b, 7, data);
    write(Frames.ipv6(net.linuxMac(), OUR_MAC, ip(OUR_V6), ip(LINUX_V6), PROTO_ICMPV6, 64, echo));

    // To reply, Linux needs our MAC: a neighbour solicitation for OUR_V6, which we answer.
    byte[] ns = awaitFrame("neighbour solicitation for " + OUR_V6,
        f -> isIcmpv6(f, 135) && Arrays.equals(slice(f, 62, 16), ip(OUR_V6)));
    assertThat(ns[21] & 0xff).as("hop limit of ND messages").isEqualTo(255);
    assertThat(Frames.transportChecksumOk(ns, ns.length)).isTrue();
    byte[] na = Frames.neighbourAdvertisement(ip(OUR_V6), slice(ns, 22, 16), ip(OUR_V6), OUR_MAC);
    write(Frames.ipv6(slice(ns, 6, 6), OUR_MAC, ip(OUR_V6), slice(ns, 22, 16), PROTO_ICMPV6, 255, na));

    byte[] reply = awaitFrame("ICMPv6 echo reply from " + LINUX_V6,
        f -> isIcmpv6(f, 129) && Arrays.equals(slice(f, 22, 16), ip(LINUX_V6)));
    assertThat(slice(reply, 0, 6)).containsExactly(OUR_MAC);
    assertThat(slice(reply, 38, 16)).containsExactly(ip(OUR_V6));
    assertThat(u16(reply, 58)).as("identifier").isEqualTo(0x6b6b);
    assertThat(u16(reply, 60)).as("sequence").isEqualTo(7);
    assertThat(slice(reply, 62, data.length)).containsExactly(data);
    assertThat(Frames.transportChecksumOk(reply, reply.length)).isTrue();
    assertThat(net.ip("-6", "neigh", "show", OUR_V6, "dev", net.tapName())).contains(HEX.formatHex(OUR_MAC));
  }

  @Test
  @Order(4)
  void ourHandBuiltUdpDatagramsReachALinuxProgramOverIpv4AndIpv6() throws Exception {
    try (LinuxProcess receiver = net.startPeer("udp-recv", LINUX_V4, "5000")) {
      receiver.awaitLine("READY", LIMIT);
      byte[] text = "hello-from-java".getBytes(StandardCharsets.US_ASCII);
      byte[] udp = Frames.udp(ip(OUR_V4), ip(LINUX_V4), 4001, 5000, text);
      write(Frames.ipv4(net.linuxMac(), OUR_MAC, ip(OUR_V4), ip(LINUX_V4), PROTO_UDP, udp));
      assertThat(receiver.awaitLine("RECV", LIMIT)).isEqualTo("RECV " + OUR_V4 + " 4001 hello-from-java");
      receiver.awaitSuccess(LIMIT);
    }
    try (LinuxProcess receiver = net.startPeer("udp-recv", LINUX_V6, "5001")) {
      receiver.awaitLine("READY", LIMIT);
      byte[] text = "hello-v6-from-java".getBytes(StandardCharsets.US_ASCII);
      byte[] udp = Frames.udp(ip(OUR_V6), ip(LINUX_V6), 4002, 5001, text);
      write(Frames.ipv6(net.linuxMac(), OUR_MAC, ip(OUR_V6), ip(LINUX_V6), PROTO_UDP, 64, udp));
      assertThat(receiver.awaitLine("RECV", LIMIT)).isEqualTo("RECV " + javaForm(OUR_V6) + " 4002 hello-v6-from-java");
      receiver.awaitSuccess(LIMIT);
    }
  }

  @Test
  @Order(5)
  void aDatagramWithACorruptChecksumNeverReachesTheLinuxProgram() throws Exception {
    // The negative control for the test above: the same path, one bit flipped in the UDP checksum, so Linux must
    // drop it; a second, intact datagram then shows the program was listening all along.
    try (LinuxProcess receiver = net.startPeer("udp-recv", LINUX_V4, "5002")) {
      receiver.awaitLine("READY", LIMIT);
      byte[] bad = Frames.udp(ip(OUR_V4), ip(LINUX_V4), 4003, 5002, "corrupt".getBytes(StandardCharsets.US_ASCII));
      bad[7] ^= 0x01;
      write(Frames.ipv4(net.linuxMac(), OUR_MAC, ip(OUR_V4), ip(LINUX_V4), PROTO_UDP, bad));
      byte[] good = Frames.udp(ip(OUR_V4), ip(LINUX_V4), 4003, 5002, "intact".getBytes(StandardCharsets.US_ASCII));
      write(Frames.ipv4(net.linuxMac(), OUR_MAC, ip(OUR_V4), ip(LINUX_V4), PROTO_UDP, good));
      assertThat(receiver.awaitLine("RECV", LIMIT)).isEqualTo("RECV " + OUR_V4 + " 4003 intact");
      receiver.awaitSuccess(LIMIT);
    }
  }

  /** How {@code InetAddress.getHostAddress()} in the Linux-side program prints an address. */
  private static String javaForm(String literal) throws IOException {
    return InetAddress.getByName(literal).getHostAddress();
  }

  private static boolean isIpv4(byte[] f, int protocol) {
    return etherType(f) == ETHERTYPE_IPV4 && (f[23] & 0xff) == protocol;
  }

  private static boolean isIcmpv6(byte[] f, int type) {
    return etherType(f) == ETHERTYPE_IPV6 && (f[20] & 0xff) == PROTO_ICMPV6 && (f[54] & 0xff) == type;
  }

  private void write(byte[] frame) throws IOException {
    assertThat(net.tap().write(frame, 0, frame.length)).as("kernel accepted the frame").isTrue();
  }

  /**
   * Reads frames until one matches, answering nothing else (Linux also sends router solicitations, MLD reports
   * and the like; they are listed in the failure message).
   */
  private byte[] awaitFrame(String what, Predicate<byte[]> matches) throws IOException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      int n = net.tap().read(buf, 0, buf.length, 200);
      if (n <= 0) {
        continue;
      }
      byte[] frame = Arrays.copyOf(buf, n);
      if (frame.length >= 14 + 28 && matches.test(frame)) {
        return frame;
      }
      skipped.add(String.format("type 0x%04x len %d", etherType(frame), n));
    }
    throw new AssertionError("no " + what + " from Linux within " + LIMIT + "; other frames seen: " + skipped);
  }
}

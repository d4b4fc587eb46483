package dev.ztjvm.vl1.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.InetAddresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PcapReaderTest {

  static final byte[] PAYLOAD = "zerotier-payload".getBytes();

  /** Builds a pcap with one record per frame. */
  static byte[] pcap(ByteOrder order, int magic, int linkType, byte[]... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(order);
    h.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
    out.writeBytes(h.array());
    int t = 0;
    for (byte[] f : frames) {
      ByteBuffer r = ByteBuffer.allocate(16).order(order);
      r.putInt(1_700_000_000 + t).putInt(magic == 0xa1b23c4d ? 5_000_000 : 5_000).putInt(f.length).putInt(f.length);
      out.writeBytes(r.array());
      out.writeBytes(f);
      t++;
    }
    return out.toByteArray();
  }

  static byte[] udp(int sport, int dport, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
    return b.put(payload).array();
  }

  static byte[] ipv4(byte[] udp) {
    ByteBuffer b = ByteBuffer.allocate(20 + udp.length);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udp.length)).putInt(0).put((byte) 64).put((byte) 17)
        .putShort((short) 0).put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
    return b.put(udp).array();
  }

  static byte[] ipv6(byte[] udp, boolean withHopByHop) {
    int ext = withHopByHop ? 8 : 0;
    ByteBuffer b = ByteBuffer.allocate(40 + ext + udp.length);
    b.putInt(0x60000000).putShort((short) (ext + udp.length)).put((byte) (withHopByHop ? 0 : 17)).put((byte) 64);
    byte[] src = new byte[16];
    src[15] = 1;
    byte[] dst = new byte[16];
    dst[0] = (byte) 0xfd;
    dst[15] = 2;
    b.put(src).put(dst);
    if (withHopByHop) {
      b.put((byte) 17).put((byte) 0).put(new byte[6]);
    }
    return b.put(udp).array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  static byte[] ethernet(int etherType, byte[] ip) {
    ByteBuffer b = ByteBuffer.allocate(14).putLong(0).putInt(0).putShort((short) etherType);
    return concat(b.array(), ip);
  }

  @Test
  void ethernetIpv4AndVlanAndIpv6InBothByteOrders() throws IOException {
    byte[] vlan = concat(ByteBuffer.allocate(16).putLong(0).putInt(0).putShort((short) 0x8100).putShort((short) 5)
        .array(), new byte[] {0x08, 0x00}, ipv4(udp(1, 2, PAYLOAD)));
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      byte[] file = pcap(order, 0xa1b2c3d4, 1, ethernet(0x0800, ipv4(udp(9993, 19993, PAYLOAD))),
          ethernet(0x0806, new byte[28]), vlan, ethernet(0x86dd, ipv6(udp(3, 4, PAYLOAD), true)));
      List<UdpDatagram> ds = PcapReader.read(file);
      assertThat(ds).hasSize(3);
      assertThat(ds.get(0).frame()).isEqualTo(1);
      assertThat(ds.get(0).source()).isEqualTo(InetAddresses.parseEndpoint("10.0.0.1/9993"));
      assertThat(ds.get(0).destination()).isEqualTo(InetAddresses.parseEndpoint("10.0.0.2/19993"));
      assertThat(ds.get(0).payload()).isEqualTo(PAYLOAD);
      assertThat(ds.get(0).timestampMicros()).isEqualTo(1_700_000_000L * 1_000_000 + 5_000);
      assertThat(ds.get(1).frame()).isEqualTo(3);
      assertThat(ds.get(2).frame()).isEqualTo(4);
      assertThat(ds.get(2).source()).isEqualTo(InetAddresses.parseEndpoint("::1/3"));
      assertThat(ds.get(2).destination()).isEqualTo(InetAddresses.parseEndpoint("fd00::2/4"));
    }
  }

  @Test
  void linuxCookedV1AndV2AndNanosecondTimestamps() throws IOException {
    byte[] sll = concat(ByteBuffer.allocate(16).putShort((short) 0).putShort((short) 772).putShort((short) 6)
        .putLong(0).putShort((short) 0x86dd).array(), ipv6(udp(5, 6, PAYLOAD), false));
    List<UdpDatagram> ds = PcapReader.read(pcap(ByteOrder.LITTLE_ENDIAN, 0xa1b23c4d, 113, sll));
    assertThat(ds).hasSize(1);
    assertThat(ds.get(0).destination().getPort()).isEqualTo(6);
    assertThat(ds.get(0).timestampMicros()).isEqualTo(1_700_000_000L * 1_000_000 + 5_000);

    byte[] sll2 = concat(ByteBuffer.allocate(20).putShort((short) 0x0800).putShort((short) 0).putInt(1)
        .putShort((short) 772).put((byte) 0).put((byte) 6).putLong(0).array(), ipv4(udp(7, 8, PAYLOAD)));
    ds = PcapReader.read(pcap(ByteOrder.BIG_ENDIAN, 0xa1b2c3d4, 276, sll2));
    assertThat(ds).hasSize(1);
    assertThat(ds.get(0).source().getPort()).isEqualTo(7);
    assertThat(ds.get(0).payload()).isEqualTo(PAYLOAD);
  }

  @Test
  void rejectsNonPcapAndUnsupportedLinkTypes() {
    assertThatThrownBy(() -> PcapReader.read(new byte[10])).hasMessageContaining("24-byte");
    assertThatThrownBy(() -> PcapReader.read(new byte[24])).hasMessageContaining("magic");
    byte[] ng = new byte[24];
    ng[0] = 0x0a;
    ng[1] = 0x0d;
    ng[2] = 0x0d;
    ng[3] = 0x0a;
    assertThatThrownBy(() -> PcapReader.read(ng)).hasMessageContaining("pcapng");
    assertThatThrownBy(() -> PcapReader.read(pcap(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 105)))
        .hasMessageContaining("link type 105");
  }

  @Test
  void realCaptureHasTheDocumentedDatagramCount() throws IOException {
    List<UdpDatagram> ds = PcapReader.read(SharedData.capture("pcap/01-run1.lo.pcap"));
    assertThat(ds).hasSize(254);
    assertThat(ds.get(0).source()).isEqualTo(InetAddresses.parseEndpoint("127.0.0.1/19994"));
    assertThat(PcapReader.read(SharedData.capture("pcap/02-run2.lo.pcap"))).hasSize(205);
  }

  @Test
  void truncatedAndGarbledCapturesNeverThrowAfterTheHeader() throws IOException {
    byte[] real = SharedData.bytes(SharedData.capture("pcap/02-run2.lo.pcap"));
    Random rnd = new Random(11);
    for (int i = 0; i < 2000; i++) {
      byte[] b = java.util.Arrays.copyOf(real, 24 + rnd.nextInt(real.length - 24));
      for (int k = 0; k < 20; k++) {
        int p = 24 + rnd.nextInt(b.length - 24 + 1);
        if (p < b.length) {
          b[p] = (byte) rnd.nextInt(256);
        }
      }
      assertThat(PcapReader.read(b)).isNotNull();
    }
  }
}

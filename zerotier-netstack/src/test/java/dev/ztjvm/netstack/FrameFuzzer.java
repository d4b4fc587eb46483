package dev.ztjvm.netstack;

import static dev.ztjvm.netstack.TwoHosts.MS;

import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ip.InternetChecksum;
import dev.ztjvm.netstack.ipv6.Ipv6;
import dev.ztjvm.netstack.testing.LinkFaults;
import dev.ztjvm.netstack.udp.UdpSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Header-field fuzzing of received frames. Templates are real frames captured from two interfaces talking (ARP,
 * IPv4/IPv6 UDP, fragments, ICMP echo and errors, NDP) plus hand-built IPv6 extension-header frames; each input
 * mutates one to three header fields (random, boundary or bit-flip values), sometimes repairs the checksums so
 * deeper layers see the mutation, and sometimes truncates or extends the frame.
 */
final class FrameFuzzer {

  /** A header field: offset and length in bytes within the frame. */
  record Field(int off, int len) {}

  record Template(byte[] frame, List<Field> fields) {}

  final List<Template> templates = new ArrayList<>();

  FrameFuzzer() {
    for (byte[] f : captureTraffic()) {
      templates.add(new Template(f, fieldsOf(f)));
    }
  }

  /** Frames A sends to B during varied traffic. */
  private static List<byte[]> captureTraffic() {
    TwoHosts h = new TwoHosts(LinkFaults.NONE, 1, c -> c.mtu(1280));
    List<byte[]> out = new ArrayList<>();
    h.link.setObserver((port, frame, len, now) -> {
      if (port == 0) {
        out.add(frame);
      }
    });
    // Re-announce addresses (gratuitous ARP, DAD NS, unsolicited NA).
    h.a.removeAddress(TwoHosts.A4);
    h.a.addAddress(TwoHosts.A4, 24);
    h.a.removeAddress(TwoHosts.A6);
    h.a.addAddress(TwoHosts.A6, 64);
    UdpSocket server = h.b.udp().open().bind(null, 4000);
    UdpSocket closedPortSender = h.b.udp().open();
    UdpSocket client = h.a.udp().open();
    h.a.ping(TwoHosts.B4, 40, h.now(), 1_000 * MS);
    h.a.ping(TwoHosts.B6, 40, h.now(), 1_000 * MS);
    h.driver.runFor(10 * MS);
    client.send(new byte[] {1, 2, 3, 4}, 0, 4, TwoHosts.B4, 4000);
    client.send(new byte[] {1, 2, 3, 4}, 0, 4, TwoHosts.B6, 4000);
    client.send(new byte[3000], 0, 3000, TwoHosts.B4, 4000);
    client.send(new byte[3000], 0, 3000, TwoHosts.B6, 4000);
    client.setBroadcast(true);
    client.send(new byte[8], 0, 8, TwoHosts.ip("10.0.0.255"), 4000);
    client.send(new byte[8], 0, 8, TwoHosts.ip("ff02::1"), 4000);
    // B sends to closed ports on A: A answers with ICMP errors, which are frames from A.
    closedPortSender.send(new byte[12], 0, 12, TwoHosts.A4, 9);
    closedPortSender.send(new byte[12], 0, 12, TwoHosts.A6, 9);
    h.b.ping(TwoHosts.A4, 16, h.now(), 1_000 * MS); // A's echo reply
    h.b.ping(TwoHosts.A6, 16, h.now(), 1_000 * MS);
    h.driver.runFor(20 * MS);
    server.receive();
    out.addAll(extensionHeaderFrames());
    return out;
  }

  private static List<byte[]> extensionHeaderFrames() {
    List<byte[]> out = new ArrayList<>();
    byte[] udp = Ipv4Test.udp(1, 4000, new byte[] {7, 7, 7});
    byte[] ext = new byte[24 + udp.length];
    ext[0] = (byte) Ipv6.NEXT_ROUTING;
    ext[2] = 1;
    ext[3] = 4;
    ext[8] = (byte) Ipv6.NEXT_FRAGMENT;
    ext[16] = (byte) Ipv6.NEXT_DESTINATION_OPTIONS; // atomic fragment header
    System.arraycopy(udp, 0, ext, 24, udp.length);
    byte[] ext2 = new byte[32 + udp.length];
    System.arraycopy(ext, 0, ext2, 0, 24);
    ext2[24] = 17;
    System.arraycopy(udp, 0, ext2, 32, udp.length);
    byte[] f = Ipv6Test.ipv6Frame(TwoHosts.MAC_B.value(), TwoHosts.A6.getAddress(), TwoHosts.B6.getAddress(),
        Ipv6.NEXT_HOP_BY_HOP, 64, ext2);
    Ipv6Test.fixUdp6(f, 54 + 32, udp.length);
    out.add(f);
    return out;
  }

  /** The header fields of a frame, found by parsing it like the stack does. */
  static List<Field> fieldsOf(byte[] f) {
    List<Field> fs = new ArrayList<>();
    fs.add(new Field(0, 6));
    fs.add(new Field(6, 6));
    fs.add(new Field(12, 2));
    int type = Ethernet.etherType(f, 0);
    int p = 14;
    if (type == Ethernet.TYPE_ARP) {
      int[][] arp = {{0, 2}, {2, 2}, {4, 1}, {5, 1}, {6, 2}, {8, 6}, {14, 4}, {18, 6}, {24, 4}};
      for (int[] a : arp) {
        fs.add(new Field(p + a[0], a[1]));
      }
      return fs;
    }
    if (type == Ethernet.TYPE_IPV4) {
      int[][] ip = {{0, 1}, {1, 1}, {2, 2}, {4, 2}, {6, 2}, {8, 1}, {9, 1}, {10, 2}, {12, 4}, {16, 4}};
      for (int[] a : ip) {
        fs.add(new Field(p + a[0], a[1]));
      }
      int proto = f[p + 9] & 0xff;
      boolean fragment = (Bytes.u16(f, p + 6) & 0x1fff) != 0;
      transportFields(fs, f, p + 20, proto, fragment);
      return fs;
    }
    if (type == Ethernet.TYPE_IPV6) {
      int[][] ip = {{0, 1}, {1, 3}, {4, 2}, {6, 1}, {7, 1}, {8, 16}, {24, 16}};
      for (int[] a : ip) {
        fs.add(new Field(p + a[0], a[1]));
      }
      int nh = f[p + 6] & 0xff;
      int q = p + 40;
      boolean fragment = false;
      while ((nh == 0 || nh == 43 || nh == 44 || nh == 60) && q + 8 <= f.length) {
        fs.add(new Field(q, 1));
        fs.add(new Field(q + 1, 1));
        fs.add(new Field(q + 2, 2));
        fs.add(new Field(q + 4, 4));
        int len = nh == 44 ? 8 : ((f[q + 1] & 0xff) + 1) * 8;
        if (nh == 44 && (Bytes.u16(f, q + 2) & 0xfff8) != 0) {
          fragment = true;
        }
        nh = f[q] & 0xff;
        q += len;
      }
      transportFields(fs, f, q, nh, fragment);
    }
    return fs;
  }

  private static void transportFields(List<Field> fs, byte[] f, int q, int proto, boolean fragment) {
    if (fragment || q + 8 > f.length) {
      return;
    }
    if (proto == 17) {
      fs.add(new Field(q, 2));
      fs.add(new Field(q + 2, 2));
      fs.add(new Field(q + 4, 2));
      fs.add(new Field(q + 6, 2));
    } else if (proto == 1 || proto == 58) {
      fs.add(new Field(q, 1));
      fs.add(new Field(q + 1, 1));
      fs.add(new Field(q + 2, 2));
      fs.add(new Field(q + 4, 2));
      fs.add(new Field(q + 6, 2));
      int type = f[q] & 0xff;
      if ((type == 135 || type == 136) && q + 24 <= f.length) {
        fs.add(new Field(q + 8, 16)); // target
        for (int o = q + 24; o + 8 <= f.length; o += 8) {
          fs.add(new Field(o, 1));
          fs.add(new Field(o + 1, 1));
          fs.add(new Field(o + 2, 6));
        }
      } else if ((type == 3 || type == 11 || (type >= 1 && type <= 4 && proto == 58)) && q + 8 + 20 <= f.length) {
        // the quoted header of an ICMP error
        for (int o = q + 8; o < Math.min(f.length, q + 8 + 48); o += 4) {
          fs.add(new Field(o, 4));
        }
      }
    }
  }

  /** Produces one mutated frame. */
  byte[] mutate(Random r) {
    Template t = templates.get(r.nextInt(templates.size()));
    byte[] f = t.frame.clone();
    int mutations = 1 + r.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      Field fld = t.fields.get(r.nextInt(t.fields.size()));
      if (fld.off + fld.len > f.length) {
        continue;
      }
      switch (r.nextInt(5)) {
        case 0 -> {
          for (int k = 0; k < fld.len; k++) {
            f[fld.off + k] = (byte) r.nextInt(256);
          }
        }
        case 1 -> Arrays.fill(f, fld.off, fld.off + fld.len, (byte) 0);
        case 2 -> Arrays.fill(f, fld.off, fld.off + fld.len, (byte) 0xff);
        case 3 -> f[fld.off + r.nextInt(fld.len)] ^= (byte) (1 << r.nextInt(8));
        default -> {
          int last = fld.off + fld.len - 1;
          f[last] = (byte) (f[last] + (r.nextBoolean() ? 1 : -1));
        }
      }
    }
    if (r.nextInt(2) == 0) {
      fixChecksums(f);
    }
    int shape = r.nextInt(20);
    if (shape == 0) {
      f = Arrays.copyOf(f, r.nextInt(f.length + 1));
    } else if (shape == 1) {
      int extra = 1 + r.nextInt(64);
      byte[] g = Arrays.copyOf(f, f.length + extra);
      for (int k = f.length; k < g.length; k++) {
        g[k] = (byte) r.nextInt(256);
      }
      f = g;
    }
    return f;
  }

  /** Repairs IPv4 header and UDP/ICMP/ICMPv6 checksums where the lengths allow it. */
  static void fixChecksums(byte[] f) {
    if (f.length < 14) {
      return;
    }
    int type = Ethernet.etherType(f, 0);
    if (type == Ethernet.TYPE_IPV4 && f.length >= 34) {
      int ihl = (f[14] & 0x0f) * 4;
      if (ihl < 20 || 14 + ihl > f.length) {
        return;
      }
      f[24] = 0;
      f[25] = 0;
      Bytes.put16(f, 24, InternetChecksum.of(f, 14, ihl));
      int total = Math.min(Bytes.u16(f, 16), f.length - 14);
      boolean fragment = (Bytes.u16(f, 20) & 0x3fff) != 0;
      int proto = f[23] & 0xff;
      int q = 14 + ihl;
      int len = total - ihl;
      if (fragment || len < 8) {
        return;
      }
      byte[] src = Arrays.copyOfRange(f, 26, 30);
      byte[] dst = Arrays.copyOfRange(f, 30, 34);
      if (proto == 17) {
        int ulen = Math.min(Bytes.u16(f, q + 4), len);
        if (ulen >= 8) {
          Ipv4Test.fixUdpChecksum(f, q, ulen, src, dst);
        }
      } else if (proto == 1) {
        f[q + 2] = 0;
        f[q + 3] = 0;
        Bytes.put16(f, q + 2, InternetChecksum.of(f, q, len));
      }
    } else if (type == Ethernet.TYPE_IPV6 && f.length >= 54) {
      int nh = f[20] & 0xff;
      int q = 54;
      int end = Math.min(f.length, 54 + Bytes.u16(f, 18));
      while ((nh == 0 || nh == 43 || nh == 60 || nh == 44) && q + 8 <= end) {
        if (nh == 44 && (Bytes.u16(f, q + 2) & 0xfff9) != 0) {
          return;
        }
        int l = nh == 44 ? 8 : ((f[q + 1] & 0xff) + 1) * 8;
        nh = f[q] & 0xff;
        q += l;
      }
      int len = end - q;
      if (len < 8) {
        return;
      }
      byte[] src = Arrays.copyOfRange(f, 22, 38);
      byte[] dst = Arrays.copyOfRange(f, 38, 54);
      if (nh == 17) {
        int ulen = Math.min(Bytes.u16(f, q + 4), len);
        if (ulen >= 8) {
          f[q + 6] = 0;
          f[q + 7] = 0;
          long sum = InternetChecksum.pseudoHeader(src, dst, 17, ulen);
          int c = InternetChecksum.finish(InternetChecksum.add(sum, f, q, ulen));
          Bytes.put16(f, q + 6, c == 0 ? 0xffff : c);
        }
      } else if (nh == 58) {
        f[q + 2] = 0;
        f[q + 3] = 0;
        long sum = InternetChecksum.pseudoHeader(src, dst, 58, len);
        Bytes.put16(f, q + 2, InternetChecksum.finish(InternetChecksum.add(sum, f, q, len)));
      }
    }
  }
}

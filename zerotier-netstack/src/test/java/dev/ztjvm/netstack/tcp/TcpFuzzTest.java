package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.ip.InternetChecksum;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of TCP headers and options: mutated copies of real segments (and random ones) are fed to stacks
 * that hold a listener and live connections. Nothing may throw out of receive/poll, and everything the stacks send
 * in response must be a well-formed segment.
 */
class TcpFuzzTest {

  @Test
  void shortFuzzRun() {
    fuzz(20_000, 0xC0FFEEL);
  }

  @Test
  @Tag("fuzz")
  void longFuzzRun() {
    fuzz(2_000_000, 0xF00DL);
  }

  static void fuzz(int inputs, long seed) {
    Pair p = new Pair(seed, TcpConfig.builder().synBacklog(64).build()).listen(80, 16);
    p.net.record = true;
    // live state: one established connection with data in flight both ways and one half-closed
    Recorder cr = new Recorder();
    TcpConnection c = p.connect(80, cr);
    TcpConnection c2 = p.connect(80, new Recorder());
    p.net.runUntil(() -> p.accepted.size() == 2, 5 * S);
    Pair.writeAll(c, new byte[20_000]);
    Pair.writeAll(p.accepted.get(0), new byte[20_000]);
    c2.shutdownOutput();
    p.net.pollAll();
    p.net.runFor(3 * MS);
    List<byte[]> templates = new ArrayList<>();
    List<SimNetwork.Node> sources = new ArrayList<>();
    for (SimNetwork.Seen s : p.net.seen) {
      templates.add(s.raw());
      sources.add(s.from());
    }
    assertThat(templates).isNotEmpty();
    p.net.blackhole = true;
    Random rnd = new Random(seed);
    byte[] buf = new byte[4096];
    long now = p.net.now;
    for (int i = 0; i < inputs; i++) {
      int k = rnd.nextInt(templates.size());
      byte[] t = templates.get(k);
      SimNetwork.Node from = sources.get(k);
      SimNetwork.Node to = from == p.client ? p.server : p.client;
      int len;
      if (rnd.nextInt(20) == 0) {
        len = rnd.nextInt(100);
        for (int j = 0; j < len; j++) {
          buf[j] = (byte) rnd.nextInt();
        }
      } else {
        len = Math.min(t.length, buf.length);
        System.arraycopy(t, 0, buf, 0, len);
        len = mutate(rnd, buf, len);
      }
      byte[] src = from.addr;
      byte[] dst = to.addr;
      switch (rnd.nextInt(40)) {
        case 0 -> src = randomAddr(rnd, 4);
        case 1 -> {
          src = randomAddr(rnd, 16);
          dst = randomAddr(rnd, 16);
        }
        case 2 -> src = randomAddr(rnd, 16); // family mismatch
        default -> {
        }
      }
      if (len >= 18 && rnd.nextInt(25) != 0) {
        fixChecksum(src, dst, buf, len);
      }
      try {
        to.tcp.receive(src, dst, buf, 0, len, now);
        if (rnd.nextInt(16) == 0) {
          now += rnd.nextInt(50) * MS;
          p.client.tcp.poll(now);
          p.server.tcp.poll(now);
        }
        if (rnd.nextInt(2000) == 0) {
          // keep the user side busy too
          for (TcpConnection x : List.of(c, c2, p.accepted.get(0), p.accepted.get(1))) {
            if (x.state() != TcpState.CLOSED && !x.isOutputShutdown()) {
              x.write(buf, 0, rnd.nextInt(3000));
            }
            x.read(new byte[8192], 0, 8192);
          }
        }
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " input " + i + " threw", e);
      }
    }
    assertThat(p.net.invalidSent).as("malformed segments sent, seed " + seed).isZero();
    assertThat(p.server.tcp.stats().segmentsIn() + p.client.tcp.stats().segmentsIn()).isGreaterThan(inputs);
  }

  private static byte[] randomAddr(Random rnd, int n) {
    byte[] a = new byte[n];
    rnd.nextBytes(a);
    return a;
  }

  private static void fixChecksum(byte[] src, byte[] dst, byte[] b, int len) {
    b[16] = 0;
    b[17] = 0;
    long sum = InternetChecksum.pseudoHeader(src, dst, 6, len);
    int c = InternetChecksum.finish(InternetChecksum.add(sum, b, 0, len));
    b[16] = (byte) (c >>> 8);
    b[17] = (byte) c;
  }

  /** Applies 1-4 mutations to header fields, options or length; returns the new length. */
  private static int mutate(Random rnd, byte[] b, int len) {
    int m = 1 + rnd.nextInt(4);
    for (int i = 0; i < m; i++) {
      switch (rnd.nextInt(12)) {
        case 0 -> Segment.put16(b, 0, rnd.nextBoolean() ? rnd.nextInt(65536) : Segment.u16(b, 0) + rnd.nextInt(3) - 1);
        case 1 -> Segment.put16(b, 2, rnd.nextBoolean() ? 80 : rnd.nextInt(65536));
        case 2 -> Segment.put32(b, 4, rnd.nextBoolean() ? rnd.nextInt() : Segment.i32(b, 4) + rnd.nextInt(200_000)
            - 100_000);
        case 3 -> Segment.put32(b, 8, rnd.nextBoolean() ? rnd.nextInt() : Segment.i32(b, 8) + rnd.nextInt(200_000)
            - 100_000);
        case 4 -> b[12] = (byte) (rnd.nextInt(16) << 4);
        case 5 -> b[13] = (byte) rnd.nextInt(256);
        case 6 -> Segment.put16(b, 14, rnd.nextInt(65536));
        case 7 -> {
          // random option bytes in the header
          int hl = ((b[12] & 0xf0) >>> 4) * 4;
          if (hl > 20 && hl <= len) {
            int o = 20 + rnd.nextInt(hl - 20);
            b[o] = (byte) rnd.nextInt(256);
          }
        }
        case 8 -> {
          // structured option with a random kind/length
          int hl = ((b[12] & 0xf0) >>> 4) * 4;
          if (hl > 22 && hl <= len) {
            int o = 20 + rnd.nextInt(hl - 21);
            int[] kinds = {0, 1, 2, 3, 4, 5, 8, 30, 254};
            b[o] = (byte) kinds[rnd.nextInt(kinds.length)];
            b[o + 1] = (byte) rnd.nextInt(45);
          }
        }
        case 9 -> len = Math.max(0, Math.min(b.length, len + rnd.nextInt(41) - 20));
        case 10 -> {
          if (len > 0) {
            b[rnd.nextInt(len)] ^= (byte) (1 << rnd.nextInt(8));
          }
        }
        default -> {
          // SACK block pointing anywhere, inside a grown header
          if (len + 12 <= b.length && len >= 20) {
            System.arraycopy(b, 20, b, 32, len - 20);
            b[20] = 1;
            b[21] = 1;
            b[22] = 5;
            b[23] = 10;
            Segment.put32(b, 24, Segment.i32(b, 8) + rnd.nextInt(100_000) - 1000);
            Segment.put32(b, 28, Segment.i32(b, 8) + rnd.nextInt(100_000));
            int hl = ((b[12] & 0xf0) >>> 4) * 4 + 12;
            b[12] = (byte) (Math.min(60, hl) / 4 << 4);
            len += 12;
          }
        }
      }
    }
    return len;
  }
}

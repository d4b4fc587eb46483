package dev.ztjvm.underlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzz of the relay codec. Streams of records — datagrams for both address families, hellos, empty records,
 * unknown families, truncated prefixes, datagrams too short or too long, random payloads — are cut at random points and
 * fed to both decoder modes (the client's {@code buffer()/drain} and the server's {@code decode}). Invariants, per
 * stream: both modes deliver exactly the datagrams the generator meant, with their addresses and bytes, in order;
 * every record is accounted for (records = delivered + hellos + empty + malformed, nothing dropped uncounted); the
 * server mode never holds more than one maximal record and nothing at a record boundary.
 */
class TcpRelayCodecFuzzTest {

  @Test
  void hundredThousandStreams() throws Exception {
    fuzz(100_000, 0x7e1a_2026L);
  }

  @Tag("fuzz")
  @Test
  void tenMillionStreams() throws Exception {
    fuzz(10_000_000, 0x7e1a_2027L);
  }

  /** What a record should do: deliver (address, bytes), or count as hello / empty / malformed. */
  private enum Kind {
    DELIVER, HELLO, EMPTY, MALFORMED
  }

  private record Expected(Kind kind, InetSocketAddress address, byte[] datagram) {}

  private record Delivered(InetSocketAddress address, byte[] datagram) {}

  private static void fuzz(int streams, long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    InetAddress[] addresses = {
        InetAddress.getByName("8.8.8.8"), InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.1.2.3"),
        InetAddress.getByName("2001:db8::1"), InetAddress.getByName("::1")
    };
    for (int s = 0; s < streams; s++) {
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      List<Expected> expected = new ArrayList<>();
      int records = 1 + r.nextInt(6);
      for (int i = 0; i < records; i++) {
        appendRecord(r, addresses, stream, expected);
      }
      byte[] bytes = stream.toByteArray();
      List<Delivered> viaDrain = new ArrayList<>();
      List<Delivered> viaDecode = new ArrayList<>();
      TcpRelayCodec.Decoder drain = new TcpRelayCodec.Decoder();
      TcpRelayCodec.Decoder decode = new TcpRelayCodec.Decoder();
      int p = 0;
      while (p < bytes.length) {
        int n = Math.min(bytes.length - p, 1 + (r.nextInt(4) == 0 ? r.nextInt(8) : r.nextInt(70_000)));
        int room = drain.buffer().remaining();
        int forDrain = Math.min(n, room);
        drain.feed(bytes, p, forDrain);
        drain.drain((a, b, o, l) -> viaDrain.add(new Delivered(a, Arrays.copyOfRange(b, o, o + l))));
        if (forDrain < n) { // the client reads at most the buffer's room; the rest comes with the next read
          n = forDrain;
        }
        decode.decode(bytes, p, n, (a, b, o, l) -> viaDecode.add(new Delivered(a, Arrays.copyOfRange(b, o, o + l))));
        assertThat(decode.bufferedCapacity()).isLessThanOrEqualTo(TcpRelayCodec.HEADER + TcpRelayCodec.MAX_PAYLOAD);
        p += n;
      }
      assertThat(decode.bufferedCapacity()).as("nothing held at a record boundary").isZero();
      List<Delivered> want = new ArrayList<>();
      long hellos = 0;
      long malformed = 0;
      for (Expected e : expected) {
        switch (e.kind()) {
          case DELIVER -> want.add(new Delivered(e.address(), e.datagram()));
          case HELLO -> hellos++;
          case MALFORMED -> malformed++;
          case EMPTY -> {
          }
        }
      }
      for (TcpRelayCodec.Decoder d : List.of(drain, decode)) {
        assertThat(d.records()).isEqualTo(expected.size());
        assertThat(d.hellos()).isEqualTo(hellos);
        assertThat(d.malformed()).isEqualTo(malformed);
      }
      assertEqual(viaDrain, want, s);
      assertEqual(viaDecode, want, s);
    }
  }

  private static void assertEqual(List<Delivered> got, List<Delivered> want, int stream) {
    assertThat(got).as("stream %d", stream).hasSameSizeAs(want);
    for (int i = 0; i < want.size(); i++) {
      assertThat(got.get(i).address()).as("stream %d record %d", stream, i).isEqualTo(want.get(i).address());
      assertThat(got.get(i).datagram()).as("stream %d record %d", stream, i).isEqualTo(want.get(i).datagram());
    }
  }

  private static void appendRecord(
      SplittableRandom r, InetAddress[] addresses, ByteArrayOutputStream out, List<Expected> expected) {
    int choice = r.nextInt(10);
    switch (choice) {
      case 0 -> { // hello
        out.writeBytes(new byte[] {0x17, 0x03, 0x03, 0, 4, 1, 14, 0, 1});
        expected.add(new Expected(Kind.HELLO, null, null));
      }
      case 1 -> { // empty record
        out.writeBytes(new byte[] {0x17, 0x03, 0x03, 0, 0});
        expected.add(new Expected(Kind.EMPTY, null, null));
      }
      case 2 -> { // a random payload of random length: classified by the rules the codec documents
        int len = r.nextInt(4) == 0 ? r.nextInt(TcpRelayCodec.MAX_PAYLOAD + 1) : r.nextInt(64);
        byte[] payload = new byte[len];
        r.nextBytes(payload);
        if (len > 0 && r.nextBoolean()) {
          payload[0] = (byte) (r.nextBoolean() ? 4 : 6);
        }
        header(out, len);
        out.writeBytes(payload);
        expected.add(classify(payload));
      }
      default -> { // a datagram (sometimes too short or too long), with either family
        InetAddress a = addresses[r.nextInt(addresses.length)];
        InetSocketAddress to = new InetSocketAddress(a, r.nextInt(65536));
        int len = switch (r.nextInt(8)) {
          case 0 -> r.nextInt(TcpRelayCodec.MIN_DATAGRAM);
          case 1 -> UdpUnderlay.MAX_DATAGRAM + 1 + r.nextInt(64);
          default -> TcpRelayCodec.MIN_DATAGRAM + r.nextInt(1500);
        };
        byte[] datagram = new byte[len];
        r.nextBytes(datagram);
        ByteBuffer b = ByteBuffer.allocate(TcpRelayCodec.recordLength(to, len));
        TcpRelayCodec.putDatagram(b, to, datagram, 0, len);
        out.writeBytes(b.array());
        boolean ok = len >= TcpRelayCodec.MIN_DATAGRAM && len <= UdpUnderlay.MAX_DATAGRAM;
        expected.add(ok ? new Expected(Kind.DELIVER, to, datagram) : new Expected(Kind.MALFORMED, null, null));
      }
    }
  }

  private static void header(ByteArrayOutputStream out, int len) {
    out.writeBytes(new byte[] {0x17, 0x03, 0x03, (byte) (len >> 8), (byte) len});
  }

  /** The documented rules, as an oracle for random payloads. */
  private static Expected classify(byte[] p) {
    int len = p.length;
    if (len == 0) {
      return new Expected(Kind.EMPTY, null, null);
    }
    if (len == TcpRelayCodec.HELLO_PAYLOAD) {
      return new Expected(Kind.HELLO, null, null);
    }
    int prefix;
    if (p[0] == 4) {
      prefix = TcpRelayCodec.IPV4_PREFIX;
    } else if (p[0] == 6) {
      prefix = TcpRelayCodec.IPV6_PREFIX;
    } else {
      return new Expected(Kind.MALFORMED, null, null);
    }
    int n = len - prefix;
    if (len < prefix || n < TcpRelayCodec.MIN_DATAGRAM || n > UdpUnderlay.MAX_DATAGRAM) {
      return new Expected(Kind.MALFORMED, null, null);
    }
    try {
      byte[] raw = Arrays.copyOfRange(p, 1, p[0] == 4 ? 5 : 17);
      int portAt = p[0] == 4 ? 5 : 17;
      int port = ((p[portAt] & 0xff) << 8) | (p[portAt + 1] & 0xff);
      return new Expected(Kind.DELIVER, new InetSocketAddress(InetAddress.getByAddress(raw), port),
          Arrays.copyOfRange(p, prefix, len));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}

package dev.ztjvm.underlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TcpRelayCodecTest {

  private record Got(InetSocketAddress address, byte[] data) {}

  private static final class Collector implements TcpRelayCodec.DatagramSink {
    final List<Got> got = new ArrayList<>();

    @Override
    public void onDatagram(InetSocketAddress address, byte[] buf, int off, int len) {
      got.add(new Got(address, Arrays.copyOfRange(buf, off, off + len)));
    }
  }

  private static InetSocketAddress v4(String ip, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  private static byte[] datagram(int len, int seed) {
    byte[] b = new byte[len];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] encode(InetSocketAddress to, byte[] d) {
    ByteBuffer out = ByteBuffer.allocate(TcpRelayCodec.recordLength(to, d.length));
    TcpRelayCodec.putDatagram(out, to, d, 0, d.length);
    assertThat(out.hasRemaining()).isFalse();
    return out.array();
  }

  @Test
  void helloAndRecordLayoutMatchZeroTierOne() throws Exception {
    ByteBuffer hello = ByteBuffer.allocate(TcpRelayCodec.HELLO_RECORD);
    TcpRelayCodec.putHello(hello, 1, 14, 258);
    assertThat(hello.array()).containsExactly(0x17, 0x03, 0x03, 0x00, 0x04, 1, 14, 0x01, 0x02);

    byte[] d = datagram(20, 1);
    byte[] rec = encode(v4("192.0.2.5", 9993), d);
    assertThat(rec).hasSize(5 + 7 + 20);
    assertThat(Arrays.copyOfRange(rec, 0, 12))
        .containsExactly(0x17, 0x03, 0x03, 0x00, 27, 4, 192 - 256, 0, 2, 5, 0x27, 0x09);
    assertThat(Arrays.copyOfRange(rec, 12, rec.length)).isEqualTo(d);

    byte[] rec6 = encode(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443), d);
    assertThat(rec6).hasSize(5 + 19 + 20);
    assertThat(rec6[5]).isEqualTo((byte) 6);
    assertThat(rec6[4]).isEqualTo((byte) (19 + 20));
  }

  @Test
  void decodesHelloThenRecordsOfBothFamilies() throws Exception {
    TcpRelayCodec.Decoder dec = new TcpRelayCodec.Decoder();
    ByteBuffer hello = ByteBuffer.allocate(TcpRelayCodec.HELLO_RECORD);
    TcpRelayCodec.putHello(hello, 1, 14, 1);
    dec.feed(hello.array(), 0, hello.capacity());
    byte[] a = datagram(16, 2);
    byte[] b = datagram(1500, 3);
    InetSocketAddress to6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 21000);
    byte[] r1 = encode(v4("10.1.2.3", 40000), a);
    byte[] r2 = encode(to6, b);
    dec.feed(r1, 0, r1.length);
    dec.feed(r2, 0, r2.length);
    Collector c = new Collector();
    assertThat(dec.drain(c)).isEqualTo(2);
    assertThat(dec.hellos()).isEqualTo(1);
    assertThat(dec.records()).isEqualTo(3);
    assertThat(dec.malformed()).isZero();
    assertThat(c.got.get(0).address()).isEqualTo(v4("10.1.2.3", 40000));
    assertThat(c.got.get(0).data()).isEqualTo(a);
    assertThat(c.got.get(1).address()).isEqualTo(to6);
    assertThat(c.got.get(1).data()).isEqualTo(b);
    assertThat(dec.buffer().position()).isZero();
  }

  @Test
  void recordsSplitAtEveryByteAndBatchedAnyWayDecodeTheSame() throws Exception {
    long seed = 0x5eed_7c9L;
    Random rnd = new Random(seed);
    for (int round = 0; round < 300; round++) {
      List<Got> sent = new ArrayList<>();
      ByteBuffer stream = ByteBuffer.allocate(1 << 18);
      for (int i = 0; i < 1 + rnd.nextInt(12); i++) {
        InetSocketAddress to = v4("127.0." + rnd.nextInt(3) + ".1", 1025 + rnd.nextInt(3));
        byte[] d = datagram(16 + rnd.nextInt(rnd.nextBoolean() ? 64 : 3000), rnd.nextInt());
        TcpRelayCodec.putDatagram(stream, to, d, 0, d.length);
        sent.add(new Got(to, d));
      }
      byte[] all = Arrays.copyOf(stream.array(), stream.position());
      TcpRelayCodec.Decoder dec = new TcpRelayCodec.Decoder();
      Collector c = new Collector();
      int pos = 0;
      while (pos < all.length) {
        // segments from 1 byte (headers split) to several records at once
        int n = Math.min(all.length - pos, rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(5) : 1 + rnd.nextInt(4000));
        dec.feed(all, pos, n);
        pos += n;
        dec.drain(c);
      }
      assertThat(c.got).as("round %d, seed %d", round, seed).hasSameSizeAs(sent);
      for (int i = 0; i < sent.size(); i++) {
        assertThat(c.got.get(i).address()).as("seed %d", seed).isEqualTo(sent.get(i).address());
        assertThat(c.got.get(i).data()).as("seed %d", seed).isEqualTo(sent.get(i).data());
      }
      assertThat(dec.malformed()).isZero();
      assertThat(dec.buffer().position()).isZero();
    }
  }

  @Test
  void malformedRecordsAreDroppedAndCountedWithoutLosingTheStream() throws Exception {
    TcpRelayCodec.Decoder dec = new TcpRelayCodec.Decoder();
    byte[] good = encode(v4("127.0.0.1", 5000), datagram(40, 9));
    byte[][] bad = {
        {0x17, 3, 3, 0, 3, 4, 1, 2}, // IPv4 prefix cut short (3 bytes)
        {0x17, 3, 3, 0, 10, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // IPv6 prefix cut short
        {0x17, 3, 3, 0, 20, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // unknown family 9
        {0x17, 3, 3, 0, 17, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, // no address
        {0x17, 3, 3, 0, 12, 4, 127, 0, 0, 1, 0x13, (byte) 0x88, 1, 2, 3, 4, 5}, // datagram of 5 bytes < 16
        {0x17, 3, 3, 0, 0}, // empty: skipped, not malformed
    };
    for (byte[] b : bad) {
      dec.feed(b, 0, b.length);
      dec.feed(good, 0, good.length);
    }
    // a record longer than any datagram: 7 + 16385 bytes
    byte[] huge = new byte[5 + 7 + UdpUnderlay.MAX_DATAGRAM + 1];
    ByteBuffer.wrap(huge).put(new byte[] {0x17, 3, 3}).putShort((short) (7 + UdpUnderlay.MAX_DATAGRAM + 1))
        .put((byte) 4).put(new byte[] {127, 0, 0, 1}).putShort((short) 5000);
    Collector c = new Collector();
    dec.drain(c);
    dec.feed(huge, 0, huge.length);
    dec.feed(good, 0, good.length);
    dec.drain(c);
    assertThat(c.got).hasSize(bad.length + 1);
    assertThat(c.got).allSatisfy(g -> assertThat(g.address()).isEqualTo(v4("127.0.0.1", 5000)));
    assertThat(dec.malformed()).isEqualTo(6);
    assertThat(dec.records()).isEqualTo(2L * bad.length + 2);
  }

  @Test
  void aMaximalRecordFitsTheBufferAfterAnyIncompleteTail() throws Exception {
    TcpRelayCodec.Decoder dec = new TcpRelayCodec.Decoder();
    byte[] max = new byte[TcpRelayCodec.HEADER + TcpRelayCodec.MAX_PAYLOAD];
    ByteBuffer.wrap(max).put(new byte[] {0x17, 3, 3, (byte) 0xff, (byte) 0xff, 4, 127, 0, 0, 1, 0x13, (byte) 0x88});
    dec.feed(max, 0, max.length - 1);
    Collector c = new Collector();
    assertThat(dec.drain(c)).isZero();
    assertThat(dec.buffer().remaining()).isEqualTo(1);
    dec.feed(max, max.length - 1, 1);
    dec.drain(c);
    assertThat(dec.malformed()).isEqualTo(1); // longer than a datagram may be
    assertThat(dec.buffer().remaining()).isEqualTo(max.length);
  }

  @Test
  void encoderRefusesWhatTheLengthCannotDescribe() throws Exception {
    byte[] d = new byte[TcpRelayCodec.MAX_PAYLOAD];
    assertThatThrownBy(() -> TcpRelayCodec.putDatagram(ByteBuffer.allocate(1 << 17), v4("127.0.0.1", 2000), d, 0,
        d.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit");
  }
}

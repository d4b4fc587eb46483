package dev.ztjvm.vl1;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The per-packet codec operations allocate nothing once warmed up (measured with the thread allocation counter). */
class HotPathAllocationTest {

  @Test
  void headerParsingReassemblyDecompressionAndBookkeepingDoNotAllocate() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean tmx = (com.sun.management.ThreadMXBean) mx;

    Random rnd = new Random(21);
    List<List<byte[]>> packets = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      packets.add(FragmentReassemblerTest.split(rnd.nextLong(), 3000 + i, rnd));
    }
    byte[] compressed = new byte[Packet.MAX_PACKET_LENGTH];
    int clen = new UserMessage(99, "abcdefgh".repeat(60).getBytes()).write(compressed, 0, 1, 2, 3);
    PacketCompressor lz4 = new PacketCompressor();
    clen = lz4.compress(compressed, 0, clen);
    byte[] work = new byte[Packet.MAX_PACKET_LENGTH];
    FragmentReassembler reassembler = new FragmentReassembler();
    SentPacketTable sent = new SentPacketTable();
    byte[] out = new byte[Packet.MAX_PACKET_LENGTH];
    byte[] frag = new byte[Packet.DEFAULT_PHYSICAL_MTU];

    int compressedLength = clen;
    long[] sink = new long[1];
    Runnable round = () -> {
      for (List<byte[]> p : packets) {
        byte[] whole = p.get(0);
        for (int k = 1; k < p.size(); k++) {
          byte[] d = p.get(k);
          int n = Packet.isFragment(d, 0, d.length)
              ? reassembler.offerFragment(d, 0, d.length, 0, out, 0)
              : reassembler.offerHead(d, 0, d.length, 0, out, 0);
          sink[0] += n;
        }
        sink[0] += Fragments.writeFragment(whole, 0, whole.length, Packet.DEFAULT_PHYSICAL_MTU, 1, frag, 0);
        sink[0] += Packet.destination(whole, 0) + Packet.source(whole, 0) + Packet.hops(whole, 0)
            + Packet.cipher(whole, 0) + Packet.mac(whole, 0);
        Verb v = Verb.of(Packet.verbByte(whole, 0));
        sink[0] += v == null ? 0 : v.ordinal();
        long id = Packet.packetId(whole, 0);
        sent.record(id, 0);
        sink[0] += sent.expects(id, 1) ? 1 : 0;
      }
      System.arraycopy(compressed, 0, work, 0, compressedLength);
      sink[0] += lz4.decompress(work, 0, compressedLength);
    };
    for (int i = 0; i < 2000; i++) {
      round.run();
    }
    long before = tmx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 200; i++) {
      round.run();
    }
    long allocated = tmx.getCurrentThreadAllocatedBytes() - before;
    assertThat(sink[0]).isNotZero();
    // 200 rounds × 64 packets × 3 datagrams: a single byte[] per packet would already be > 1 MB
    assertThat(allocated).as("bytes allocated").isLessThan(64 * 1024);
  }
}

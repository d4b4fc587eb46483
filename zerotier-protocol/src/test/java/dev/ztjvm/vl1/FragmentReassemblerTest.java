package dev.ztjvm.vl1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FragmentReassemblerTest {

  static final int MTU = Packet.DEFAULT_PHYSICAL_MTU;

  /** A fragmented "armored" packet of the given length, split into datagrams (head first). */
  static List<byte[]> split(long packetId, int length, Random rnd) {
    byte[] p = new byte[length];
    rnd.nextBytes(p);
    Packet.setPacketId(p, 0, packetId);
    p[Fragments.IDX_INDICATOR] = 0x12; // a head never has 0xff at byte 13
    Packet.setFragmented(p, 0, true);
    List<byte[]> out = new ArrayList<>();
    out.add(Arrays.copyOf(p, MTU));
    byte[] buf = new byte[MTU];
    for (int k = 1; k < Fragments.count(length, MTU); k++) {
      out.add(Arrays.copyOf(buf, Fragments.writeFragment(p, 0, length, MTU, k, buf, 0)));
    }
    out.add(0, p); // element 0: the whole packet, for comparison
    return out;
  }

  static int offer(FragmentReassembler r, byte[] d, long now, byte[] out) {
    return Packet.isFragment(d, 0, d.length)
        ? r.offerFragment(d, 0, d.length, now, out, 0)
        : r.offerHead(d, 0, d.length, now, out, 0);
  }

  @Test
  void countsFollowTheSpecFormula() {
    assertThat(Fragments.count(1432, 1432)).isEqualTo(1);
    assertThat(Fragments.count(1433, 1432)).isEqualTo(2);
    assertThat(Fragments.count(1432 + 1416, 1432)).isEqualTo(2);
    assertThat(Fragments.count(1432 + 1417, 1432)).isEqualTo(3);
    assertThat(Fragments.count(Packet.MAX_PACKET_LENGTH, 1432)).isEqualTo(8); // fragment headers cost 16 bytes each...
    assertThatThrownBy(() -> Fragments.writeFragment(new byte[10024], 0, 10024, 1432, 1, new byte[1432], 0))
        .hasMessageContaining("fragments"); // ...which is more than 7, so it cannot be sent
    assertThat(Fragments.count(1432 + 6 * 1416, 1432)).isEqualTo(7);
  }

  @Test
  void randomPacketsReassembleInAnyOrderWithDuplicates() {
    long seed = 42;
    Random rnd = new Random(seed);
    FragmentReassembler r = new FragmentReassembler();
    byte[] out = new byte[Packet.MAX_PACKET_LENGTH];
    for (int trial = 0; trial < 2000; trial++) {
      int len = MTU + 1 + rnd.nextInt(6 * (MTU - 16));
      List<byte[]> parts = split(rnd.nextLong(), len, rnd);
      byte[] whole = parts.remove(0);
      List<byte[]> order = new ArrayList<>(parts);
      Collections.shuffle(order, rnd);
      int done = 0;
      for (int i = 0; i < order.size(); i++) {
        byte[] d = order.get(i);
        int n = offer(r, d, trial, out);
        if (i > 0 && rnd.nextInt(4) == 0 && i < order.size() - 1) {
          assertThat(offer(r, order.get(i - 1), trial, out)).isEqualTo(FragmentReassembler.PENDING);
        }
        if (i < order.size() - 1) {
          assertThat(n).as("seed %d trial %d part %d", seed, trial, i).isEqualTo(FragmentReassembler.PENDING);
        } else {
          done = n;
        }
      }
      assertThat(done).as("seed %d trial %d", seed, trial).isEqualTo(len);
      assertThat(Arrays.copyOf(out, len)).isEqualTo(whole);
    }
    assertThat(r.pending()).isZero();
    assertThat(r.completedCount()).isEqualTo(2000);
  }

  @Test
  void interleavedPacketsUseSeparateSlots() {
    Random rnd = new Random(3);
    List<byte[]> a = split(1, 3000, rnd);
    List<byte[]> b = split(2, 3000, rnd);
    FragmentReassembler r = new FragmentReassembler();
    byte[] out = new byte[Packet.MAX_PACKET_LENGTH];
    assertThat(offer(r, a.get(1), 0, out)).isZero();
    assertThat(offer(r, b.get(3), 0, out)).isZero();
    assertThat(offer(r, b.get(1), 0, out)).isZero();
    assertThat(offer(r, a.get(2), 0, out)).isZero();
    assertThat(offer(r, b.get(2), 0, out)).isEqualTo(3000);
    assertThat(Arrays.copyOf(out, 3000)).isEqualTo(b.get(0));
    assertThat(offer(r, a.get(3), 0, out)).isEqualTo(3000);
    assertThat(Arrays.copyOf(out, 3000)).isEqualTo(a.get(0));
  }

  @Test
  void incompleteEntriesExpireAfterFiveSeconds() {
    Random rnd = new Random(4);
    List<byte[]> a = split(7, 3000, rnd);
    FragmentReassembler r = new FragmentReassembler();
    byte[] out = new byte[Packet.MAX_PACKET_LENGTH];
    offer(r, a.get(1), 1_000, out);
    offer(r, a.get(2), 1_000, out);
    // the last part arrives too late: the old parts are gone, it starts a new entry
    assertThat(offer(r, a.get(3), 1_000 + FragmentReassembler.TIMEOUT_MILLIS + 1, out)).isZero();
    assertThat(r.expiredCount()).isEqualTo(1);
    assertThat(r.pending()).isEqualTo(1);
    // but within the timeout it completes
    FragmentReassembler r2 = new FragmentReassembler();
    offer(r2, a.get(1), 1_000, out);
    offer(r2, a.get(2), 1_000, out);
    assertThat(offer(r2, a.get(3), 1_000 + FragmentReassembler.TIMEOUT_MILLIS, out)).isEqualTo(3000);
    r.expire(100_000);
    assertThat(r.pending()).isZero();
  }

  @Test
  void oldestEntryIsEvictedWhenAllSlotsAreBusy() {
    Random rnd = new Random(5);
    FragmentReassembler r = new FragmentReassembler();
    byte[] out = new byte[Packet.MAX_PACKET_LENGTH];
    List<List<byte[]>> packets = new ArrayList<>();
    for (int i = 0; i <= FragmentReassembler.DEFAULT_SLOTS; i++) {
      packets.add(split(100 + i, 3000, rnd));
      offer(r, packets.get(i).get(1), i, out);
    }
    assertThat(r.pending()).isEqualTo(FragmentReassembler.DEFAULT_SLOTS);
    assertThat(r.evictedCount()).isEqualTo(1);
    // packet 1 survived
    offer(r, packets.get(1).get(2), 40, out);
    assertThat(offer(r, packets.get(1).get(3), 40, out)).isEqualTo(3000);
    // packet 0 (oldest) was evicted: its remaining parts no longer complete it
    offer(r, packets.get(0).get(2), 40, out);
    assertThat(offer(r, packets.get(0).get(3), 40, out)).isZero();
  }

  @Test
  void malformedFragmentsAreDroppedAndCounted() {
    FragmentReassembler r = new FragmentReassembler();
    byte[] out = new byte[Packet.MAX_PACKET_LENGTH];
    byte[] f = new byte[100];
    f[Fragments.IDX_INDICATOR] = (byte) 0xff;
    int[][] bad = {{8, 1}, {1, 1}, {3, 0}, {3, 3}, {3, 7}, {15, 2}, {0, 0}};
    for (int[] tk : bad) {
      f[Fragments.IDX_COUNTS] = (byte) ((tk[0] << 4) | tk[1]);
      assertThat(r.offerFragment(f, 0, f.length, 0, out, 0)).isEqualTo(FragmentReassembler.DROPPED);
    }
    assertThat(r.offerFragment(f, 0, 16, 0, out, 0)).isEqualTo(FragmentReassembler.DROPPED); // header only
    byte[] unflagged = new byte[100];
    assertThat(r.offerHead(unflagged, 0, 100, 0, out, 0)).isEqualTo(FragmentReassembler.DROPPED);
    assertThat(r.malformedCount()).isEqualTo(bad.length + 2);
    assertThat(r.pending()).isZero();

    // two fragments disagreeing on the total drop the entry
    f[Fragments.IDX_COUNTS] = (byte) 0x31;
    assertThat(r.offerFragment(f, 0, f.length, 0, out, 0)).isZero();
    f[Fragments.IDX_COUNTS] = (byte) 0x42;
    assertThat(r.offerFragment(f, 0, f.length, 0, out, 0)).isEqualTo(FragmentReassembler.DROPPED);
    assertThat(r.pending()).isZero();
  }

  @Test
  void oversizedAssemblyIsDropped() {
    FragmentReassembler r = new FragmentReassembler();
    byte[] out = new byte[Packet.MAX_PACKET_LENGTH];
    byte[] head = new byte[6000];
    Packet.setFragmented(head, 0, true);
    byte[] frag = new byte[5000];
    frag[Fragments.IDX_INDICATOR] = (byte) 0xff;
    frag[Fragments.IDX_COUNTS] = 0x21;
    assertThat(r.offerHead(head, 0, head.length, 0, out, 0)).isZero();
    assertThat(r.offerFragment(frag, 0, frag.length, 0, out, 0)).isEqualTo(FragmentReassembler.DROPPED);
    assertThat(r.oversizedCount()).isEqualTo(1);
    assertThat(r.pending()).isZero();
  }
}

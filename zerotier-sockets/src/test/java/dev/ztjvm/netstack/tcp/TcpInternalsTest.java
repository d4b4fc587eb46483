package dev.ztjvm.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property tests of the internal ring buffer and sequence-range set against simple models. */
class TcpInternalsTest {

  @Test
  void seqRangesMatchABitmapModelAcrossTheWrap() {
    for (long seed = 1; seed <= 2000; seed++) {
      Random rnd = new Random(seed);
      int base = rnd.nextBoolean() ? 0xFFFF_FE00 : rnd.nextInt();
      int span = 1000;
      boolean[] model = new boolean[span];
      SeqRanges r = new SeqRanges(1000);
      int floor = 0;
      for (int op = 0; op < 40; op++) {
        if (rnd.nextInt(6) == 0) {
          floor = Math.min(span, floor + rnd.nextInt(100));
          r.removeBelow(base + floor);
          for (int i = 0; i < floor; i++) {
            model[i] = false;
          }
        } else {
          int s = rnd.nextInt(span);
          int e = Math.min(span, s + 1 + rnd.nextInt(60));
          r.add(base + Math.max(s, floor), base + Math.max(e, floor));
          for (int i = Math.max(s, floor); i < e; i++) {
            model[i] = true;
          }
        }
        // compare: ranges are exactly the maximal runs of the model
        int idx = 0;
        for (int i = 0; i < span; ) {
          if (!model[i]) {
            i++;
            continue;
          }
          int j = i;
          while (j < span && model[j]) {
            j++;
          }
          assertThat(idx).as("seed " + seed).isLessThan(r.count());
          assertThat(r.start(idx) - base).as("seed " + seed).isEqualTo(i);
          assertThat(r.end(idx) - base).as("seed " + seed).isEqualTo(j);
          idx++;
          i = j;
        }
        assertThat(r.count()).as("seed " + seed).isEqualTo(idx);
        int probe = rnd.nextInt(span);
        long above = 0;
        for (int i = probe; i < span; i++) {
          above += model[i] ? 1 : 0;
        }
        assertThat(r.bytesAbove(base + probe)).as("seed " + seed).isEqualTo(above);
        assertThat(r.contains(base + probe)).as("seed " + seed).isEqualTo(model[probe]);
      }
    }
  }

  @Test
  void seqRangesRefuseBeyondTheirBound() {
    SeqRanges r = new SeqRanges(2);
    assertThat(r.add(0, 10)).isTrue();
    assertThat(r.add(20, 30)).isTrue();
    assertThat(r.add(40, 50)).isFalse();
    assertThat(r.add(10, 20)).isTrue(); // merging needs no new slot
    assertThat(r.count()).isEqualTo(1);
  }

  @Test
  void byteRingBehavesLikeAQueueWhileGrowing() {
    for (long seed = 1; seed <= 500; seed++) {
      Random rnd = new Random(seed);
      int cap = 1 + rnd.nextInt(5000);
      ByteRing ring = new ByteRing(cap, 1 + rnd.nextInt(64));
      java.util.ArrayDeque<Byte> model = new java.util.ArrayDeque<>();
      byte next = 0;
      for (int op = 0; op < 200; op++) {
        if (rnd.nextBoolean()) {
          byte[] src = new byte[rnd.nextInt(300)];
          for (int i = 0; i < src.length; i++) {
            src[i] = next++;
          }
          int n = ring.write(src, 0, src.length);
          assertThat(n).isEqualTo(Math.min(src.length, cap - model.size()));
          for (int i = 0; i < n; i++) {
            model.add(src[i]);
          }
          next = (byte) (next - (src.length - n));
        } else {
          byte[] dst = new byte[rnd.nextInt(300)];
          int peekOff = model.isEmpty() ? 0 : rnd.nextInt(model.size());
          int peekLen = Math.min(dst.length, model.size() - peekOff);
          ring.copyOut(peekOff, dst, 0, peekLen);
          Byte[] arr = model.toArray(new Byte[0]);
          for (int i = 0; i < peekLen; i++) {
            assertThat(dst[i]).as("seed " + seed).isEqualTo(arr[peekOff + i]);
          }
          int n = ring.read(dst, 0, dst.length);
          assertThat(n).isEqualTo(Math.min(dst.length, model.size()));
          for (int i = 0; i < n; i++) {
            assertThat(dst[i]).as("seed " + seed).isEqualTo(model.poll());
          }
        }
        assertThat(ring.size()).isEqualTo(model.size());
      }
    }
  }

  @Test
  void byteRingKeepsBytesWrittenAheadAcrossReadsAndGrowth() {
    ByteRing ring = new ByteRing(1000, 8);
    byte[] ahead = {7, 8, 9};
    ring.copyIn(500, ahead, 0, 3); // out-of-order bytes far ahead
    byte[] head = new byte[500];
    for (int i = 0; i < 500; i++) {
      head[i] = (byte) i;
    }
    ring.copyIn(0, head, 0, 500);
    ring.commit(503);
    byte[] out = new byte[503];
    assertThat(ring.read(out, 0, 400)).isEqualTo(400);
    assertThat(ring.read(out, 400, 103)).isEqualTo(103);
    assertThat(out[499]).isEqualTo((byte) 499);
    assertThat(new byte[] {out[500], out[501], out[502]}).containsExactly(7, 8, 9);
  }
}

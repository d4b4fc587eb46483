package dev.ztjvm.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property tests of the internal ring buffer and sequence-range set against simple models. */
class TcpInternalsTest {

  @Test
  void seqRangesMatchABitmapModelAcrossTheWrap() {
    for (long seed = 1; seed <= 500; seed++) {
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
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < span;) {
          if (!model[i]) {
            i++;
            continue;
          }
          int j = i;
          while (j < span && model[j]) {
            j++;
          }
          want.append(i).append('-').append(j).append(' ');
          i = j;
        }
        StringBuilder got = new StringBuilder();
        for (int k = 0; k < r.count(); k++) {
          got.append(r.start(k) - base).append('-').append(r.end(k) - base).append(' ');
        }
        if (!want.toString().equals(got.toString())) {
          throw new AssertionError("seed " + seed + ": want " + want + " got " + got);
        }
        int probe = rnd.nextInt(span);
        long above = 0;
        for (int i = probe; i < span; i++) {
          above += model[i] ? 1 : 0;
        }
        if (r.bytesAbove(base + probe) != above || r.contains(base + probe) != model[probe]) {
          throw new AssertionError("seed " + seed + ": bytesAbove/contains at " + probe);
        }
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
    for (long seed = 1; seed <= 300; seed++) {
      Random rnd = new Random(seed);
      int cap = 1 + rnd.nextInt(5000);
      ByteRing ring = new ByteRing(cap, 1 + rnd.nextInt(64));
      byte[] model = new byte[200 * 300]; // everything ever written, in order
      int head = 0;
      int tail = 0;
      for (int op = 0; op < 200; op++) {
        if (rnd.nextBoolean()) {
          byte[] src = new byte[rnd.nextInt(300)];
          rnd.nextBytes(src);
          int n = ring.write(src, 0, src.length);
          assertThat(n).as("seed " + seed).isEqualTo(Math.min(src.length, cap - (tail - head)));
          System.arraycopy(src, 0, model, tail, n);
          tail += n;
        } else {
          int size = tail - head;
          byte[] dst = new byte[rnd.nextInt(300)];
          int peekOff = size == 0 ? 0 : rnd.nextInt(size);
          int peekLen = Math.min(dst.length, size - peekOff);
          ring.copyOut(peekOff, dst, 0, peekLen);
          if (!Arrays.equals(dst, 0, peekLen, model, head + peekOff, head + peekOff + peekLen)) {
            throw new AssertionError("peek mismatch, seed " + seed);
          }
          int n = ring.read(dst, 0, dst.length);
          assertThat(n).as("seed " + seed).isEqualTo(Math.min(dst.length, size));
          if (!Arrays.equals(dst, 0, n, model, head, head + n)) {
            throw new AssertionError("read mismatch, seed " + seed);
          }
          head += n;
        }
        assertThat(ring.size()).isEqualTo(tail - head);
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

  @Test
  void fastChecksumAgreesWithTheReferenceChecksum() {
    Random rnd = new Random(77);
    byte[] b = new byte[3000];
    for (int i = 0; i < 20_000; i++) {
      int off = rnd.nextInt(64);
      int len = rnd.nextInt(b.length - off);
      if (rnd.nextInt(10) == 0) {
        java.util.Arrays.fill(b, (byte) 0xff); // carry-heavy input
      } else {
        rnd.nextBytes(b);
      }
      long start = rnd.nextInt(1 << 20);
      int want = dev.ztjvm.netstack.ip.InternetChecksum.finish(
          dev.ztjvm.netstack.ip.InternetChecksum.add(start, b, off, len));
      int got = dev.ztjvm.netstack.ip.InternetChecksum.finish(FastChecksum.add(start, b, off, len));
      if (want != got) {
        throw new AssertionError("case " + i + " off " + off + " len " + len + ": " + want + " != " + got);
      }
    }
  }
}

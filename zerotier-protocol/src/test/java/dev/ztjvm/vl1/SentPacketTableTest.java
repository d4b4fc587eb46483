package dev.ztjvm.vl1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SentPacketTableTest {

  @Test
  void matchesOnlyRecordedRecentIds() {
    SentPacketTable t = new SentPacketTable(16, 10_000);
    t.record(0x1122334455667788L, 1_000);
    assertThat(t.expects(0x1122334455667788L, 1_000)).isTrue();
    assertThat(t.expects(0x1122334455667788L, 11_000)).isTrue();
    assertThat(t.expects(0x1122334455667788L, 11_001)).isFalse();
    assertThat(t.expects(0x1122334455667789L, 1_000)).isFalse();
    assertThat(t.expects(0x1122334400000000L, 1_000)).isFalse();
    t.remove(0x1122334455667788L);
    assertThat(t.expects(0x1122334455667788L, 1_000)).isFalse();
  }

  @Test
  void boundedCapacityForgetsTheOldest() {
    int buckets = 4;
    SentPacketTable t = new SentPacketTable(buckets, Long.MAX_VALUE / 4);
    Random rnd = new Random(9);
    long first = rnd.nextLong();
    t.record(first, 0);
    for (int i = 0; i < 1000; i++) {
      t.record(rnd.nextLong(), 0);
    }
    assertThat(t.expects(first, 0)).isFalse();
    // the last WAYS ids recorded into any bucket are still there: record a fresh batch and check a recent one
    long recent = rnd.nextLong();
    t.record(recent, 1);
    assertThat(t.expects(recent, 1)).isTrue();
  }

  @Test
  void recentIdsSurviveUpToCapacity() {
    SentPacketTable t = new SentPacketTable();
    Random rnd = new Random(10);
    long[] ids = new long[200];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rnd.nextLong();
      t.record(ids[i], i);
    }
    int found = 0;
    for (int i = 0; i < ids.length; i++) {
      if (t.expects(ids[i], 300)) {
        found++;
      }
    }
    assertThat(found).isEqualTo(ids.length); // 200 random ids never overflow an 8-way bucket of 256
  }

  @Test
  void rejectsBadConfiguration() {
    assertThatThrownBy(() -> new SentPacketTable(3, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SentPacketTable(4, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}

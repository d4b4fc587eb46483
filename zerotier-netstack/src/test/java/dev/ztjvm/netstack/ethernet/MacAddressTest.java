package dev.ztjvm.netstack.ethernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one MAC type: the record and the allocation-free helpers on raw 48-bit values agree. */
class MacAddressTest {

  @Test
  void rawHelpersReadWriteAndFormatLikeTheRecord() {
    byte[] b = new byte[8];
    MacAddress.write(0x02a1b2c3d4e5L, b, 1);
    assertThat(b).containsExactly(0, 0x02, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0);
    assertThat(MacAddress.read(b, 1)).isEqualTo(0x02a1b2c3d4e5L);
    assertThat(new MacAddress(MacAddress.read(b, 1)).toBytes()).containsExactly(0x02, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5);
    assertThat(MacAddress.toString(0x02a1b2c3d4e5L)).isEqualTo("02:a1:b2:c3:d4:e5")
        .isEqualTo(new MacAddress(0x02a1b2c3d4e5L).toString());
    assertThat(MacAddress.parse("02-A1-b2-c3-d4-e5").value()).isEqualTo(0x02a1b2c3d4e5L);
  }

  @Test
  void broadcastAndGroupBits() {
    assertThat(MacAddress.isBroadcast(MacAddress.BROADCAST.value())).isTrue();
    assertThat(MacAddress.isBroadcast(0xfffffffffffeL)).isFalse();
    assertThat(MacAddress.isMulticast(0x333300000001L)).isTrue();
    assertThat(MacAddress.isMulticast(0x02a1b2c3d4e5L)).isFalse();
    assertThat(MacAddress.BROADCAST.isMulticast()).isTrue();
  }

  @Test
  void malformedTextAndOversizedValuesAreRejected() {
    assertThatThrownBy(() -> MacAddress.parse("02:a1:b2:c3:d4")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("6 octets");
    assertThatThrownBy(() -> MacAddress.parse("02:a1:b2:c3:d4:g5")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad MAC octet");
    assertThatThrownBy(() -> new MacAddress(1L << 48)).isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.ztjvm.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AddressTest {

  @Test
  void parseAndFormat() {
    assertThat(Address.parse("8e4df28b72")).isEqualTo(0x8e4df28b72L);
    assertThat(Address.parse("8E4DF28B72")).isEqualTo(0x8e4df28b72L);
    assertThat(Address.toString(0x8e4df28b72L)).isEqualTo("8e4df28b72");
    assertThat(Address.toString(0x1L)).isEqualTo("0000000001");
    assertThatThrownBy(() -> Address.parse("8e4df28b7")).hasMessageContaining("10 hex");
    assertThatThrownBy(() -> Address.parse("8e4df28b7g")).hasMessageContaining("not hex");
  }

  @Test
  void reservedAddresses() {
    assertThat(Address.isReserved(0)).isTrue();
    assertThat(Address.isReserved(0xff00000000L)).isTrue();
    assertThat(Address.isReserved(0xff12345678L)).isTrue();
    assertThat(Address.isReserved(0xfe12345678L)).isFalse();
    assertThat(Address.isReserved(1)).isFalse();
  }

  @Test
  void readWriteRoundTripBigEndian() {
    byte[] b = new byte[7];
    Address.write(0x0123456789L, b, 1);
    assertThat(b).containsExactly(0, 0x01, 0x23, 0x45, 0x67, (byte) 0x89, 0);
    Random rnd = new Random(42);
    for (int i = 0; i < 1000; i++) {
      long a = rnd.nextLong() & Address.MASK;
      Address.write(a, b, 2);
      assertThat(Address.read(b, 2)).isEqualTo(a);
      assertThat(Address.parse(Address.toString(a))).isEqualTo(a);
    }
  }
}

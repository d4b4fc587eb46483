package dev.ztjvm.vl1;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.vl2.CertificateOfMembership;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The one reader and writer of the wire codecs: how they read, write, grow and fail. */
class WireCodecTest {

  @Test
  void readsBigEndianFieldsAndTracksPosition() {
    byte[] b = hex("ff" + "0102" + "03040506" + "0708090a0b" + "0c0d0e0f10111213" + "aabb");
    WireReader r = WireReader.of(b, 1, b.length, "test");
    assertThat(r.u16()).isEqualTo(0x0102);
    assertThat(r.u32()).isEqualTo(0x03040506L);
    assertThat(r.u40()).isEqualTo(0x0708090a0bL);
    assertThat(r.u64()).isEqualTo(0x0c0d0e0f10111213L);
    assertThat(r.position()).isEqualTo(20);
    assertThat(r.end()).isEqualTo(b.length);
    assertThat(r.rest()).containsExactly(0xaa, 0xbb);
    assertThat(r.remaining()).isZero();
  }

  @Test
  void truncatedInputIsAWireFormatExceptionNamingWhatAndWhere() {
    byte[] b = hex("010203");
    WireReader r = WireReader.of(b, 0, 3, "widget");
    r.u16();
    assertThatThrownBy(r::u16)
        .isInstanceOf(WireFormatException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("widget: truncated at byte 2 (need 2, have 1)");
    assertThatThrownBy(() -> new WireReader(b, 2, 2)).isInstanceOf(WireFormatException.class)
        .hasMessageContaining("range outside the buffer");
    assertThatThrownBy(() -> WireReader.of(b, 0, 4, "widget")).isInstanceOf(WireFormatException.class)
        .hasMessage("widget: range outside the buffer");
    assertThatThrownBy(() -> WireReader.requireRange(b, 1, 3, 3, "field")).isInstanceOf(WireFormatException.class)
        .hasMessage("field: truncated (need 3 bytes at 1, have 2)");
    assertThatThrownBy(() -> new WireReader(hex("00"), 0, 1).identity()).isInstanceOf(WireFormatException.class)
        .hasMessageContaining("identity");
  }

  @Test
  void vl1AndVl2ParsersFailTheSameWayOnTheSameTruncation() {
    // VL2 throws the reader's exception with the reader's message; VL1 keeps its null-on-malformed API over it.
    assertThatThrownBy(() -> CertificateOfMembership.parse(new byte[] {1, 0}))
        .isInstanceOf(WireFormatException.class).hasMessageStartingWith("COM: truncated at byte 1");
    assertThat(Rendezvous.parse(new byte[Packet.IDX_PAYLOAD + 3], 0, Packet.IDX_PAYLOAD + 3)).isNull();
    assertThat(Hello.encryptedSectionStart(new byte[10], 0, 10)).isEqualTo(-1);
  }

  @Test
  void fixedBufferWriterRefusesToOverflowAndGrowableWriterGrows() {
    byte[] buf = new byte[6];
    Arrays.fill(buf, (byte) 0x55);
    WireWriter fixed = new WireWriter(buf, 1);
    fixed.u16(0x0102).zeros(2);
    assertThat(HexFormat.of().formatHex(buf)).isEqualTo("550102000055");
    assertThat(fixed.length()).isEqualTo(4);
    assertThat(fixed.toByteArray()).containsExactly(1, 2, 0, 0);
    assertThatThrownBy(() -> fixed.u16(0)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("buffer full");

    WireWriter growable = new WireWriter(1);
    for (int i = 0; i < 100; i++) {
      growable.u8(i).u40(i);
    }
    growable.zeros(3);
    byte[] out = growable.toByteArray();
    assertThat(out).hasSize(603);
    assertThat(out[6 * 99]).isEqualTo((byte) 99);
    assertThat(new WireReader(out, 6 * 99 + 1, 5).u40()).isEqualTo(99);
    assertThat(Arrays.copyOfRange(out, 600, 603)).containsExactly(0, 0, 0);
    assertThatThrownBy(() -> growable.wrap(new byte[4], 0)).isInstanceOf(IllegalStateException.class);
  }
}

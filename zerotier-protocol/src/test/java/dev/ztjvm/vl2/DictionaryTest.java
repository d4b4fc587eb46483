package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.testing.SharedData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DictionaryTest {

  @Test
  void vectorSerialisesByteForByteAndParsesBack() {
    JsonNode v = SharedData.vectorJson("vl2.json").get("dictionary_example");
    Dictionary d = new Dictionary()
        .putString("k", "a=b\\c\r\nd")
        .putBytes("B", new byte[] {0x78, 0x00, 0x79, 0x0a, 0x0d})
        .putU64("n", 0x1234)
        .putBool("t", true);
    byte[] bytes = d.toBytes();
    assertThat(SharedData.hex(bytes)).isEqualTo(v.get("serialized_hex").asString());
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).isEqualTo(v.get("serialized_text").asString());

    Dictionary back = Dictionary.parse(SharedData.hex(v.get("serialized_hex").asString()));
    assertThat(back.keys()).containsExactly("k", "B", "n", "t");
    assertThat(back.getString("k")).contains("a=b\\c\r\nd");
    assertThat(back.getBytes("B")).containsExactly(0x78, 0x00, 0x79, 0x0a, 0x0d);
    assertThat(back.getU64("n", 0)).isEqualTo(0x1234);
    assertThat(back.getBool("t", false)).isTrue();
    assertThat(back).isEqualTo(d);
    assertThat(back.toBytes()).isEqualTo(bytes);
  }

  @Test
  void readerSemanticsFollow1x() {
    byte[] raw = "a=1\r\nb=x\\qy\\\n\nnoequals\na=2\nc=T\nd=f\ne=-0000000000000010\nh=0x1F zz\nu=fffffffffffffffff\0z=9"
        .getBytes(StandardCharsets.ISO_8859_1);
    Dictionary d = Dictionary.parse(raw);
    assertThat(d.keys()).containsExactly("a", "b", "c", "d", "e", "h", "u"); // NUL ends the dictionary
    assertThat(d.getU64("a", 0)).isEqualTo(1); // first occurrence wins
    assertThat(d.getString("b")).contains("xqy"); // unknown escape -> the character; lone trailing '\' dropped
    assertThat(d.getBool("c", false)).isTrue();
    assertThat(d.getBool("d", true)).isFalse();
    assertThat(d.getBool("missing", true)).isTrue();
    assertThat(d.getI64("e", 0)).isEqualTo(-16);
    assertThat(d.getU64("h", 0)).isEqualTo(0x1f);
    assertThat(d.getU64("u", 0)).isEqualTo(-1L); // overflow saturates like strtoull
    assertThat(d.getU64("missing", 77)).isEqualTo(77);
  }

  @Test
  void writerFormats() {
    Dictionary d = new Dictionary().putU64("v", 7).putI64("s", -5).putAddress("id", 0x5c58fb2eeeL).putBool("f", false);
    assertThat(new String(d.toBytes(), StandardCharsets.US_ASCII))
        .isEqualTo("v=0000000000000007\ns=-0000000000000005\nid=5c58fb2eee\nf=0");
  }

  @Test
  void capacities() {
    byte[] a = new byte[1022];
    java.util.Arrays.fill(a, (byte) 'a');
    Dictionary d = new Dictionary().putBytes("k", java.util.Arrays.copyOf(a, 1021)); // 1023 bytes + NUL = 1024
    assertThat(d.fitsIn(Dictionary.METADATA_CAPACITY)).isTrue();
    d.putBytes("k", a);
    assertThat(d.fitsIn(Dictionary.METADATA_CAPACITY)).isFalse();
    // escaping counts: 600 NULs become 1,200 bytes
    assertThat(new Dictionary().putBytes("k", new byte[600]).serializedLength()).isEqualTo(1202);
  }

  @Test
  void randomBinaryValuesRoundTrip() {
    long seed = 0x5eed0001L;
    java.util.Random rnd = new java.util.Random(seed);
    for (int i = 0; i < 2000; i++) {
      Dictionary d = new Dictionary();
      int n = 1 + rnd.nextInt(6);
      for (int k = 0; k < n; k++) {
        byte[] val = new byte[rnd.nextInt(40)];
        rnd.nextBytes(val);
        d.putBytes("k" + k, val);
      }
      byte[] ser = d.toBytes();
      for (byte b : ser) {
        assertThat(b).as("seed %d case %d: no NUL", seed, i).isNotEqualTo((byte) 0);
      }
      assertThat(Dictionary.parse(ser)).as("seed %d case %d", seed, i).isEqualTo(d);
    }
  }
}

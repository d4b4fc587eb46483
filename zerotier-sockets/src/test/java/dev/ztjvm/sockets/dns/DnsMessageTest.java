package dev.ztjvm.sockets.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DnsMessageTest {

  @Test
  void queryHasHeaderQuestionAndRecursionDesired() {
    byte[] q = DnsMessage.query(0xbeef, "db.lab.", DnsMessage.TYPE_AAAA);
    assertThat(HexFormat.of().formatHex(q))
        .isEqualTo("beef01000001000000000000" + "02646203" + "6c616200" + "001c0001");
  }

  @Test
  void badNamesAreRefused() {
    assertThatThrownBy(() -> DnsMessage.query(1, "a..b", 1)).hasMessageContaining("label length 0");
    assertThatThrownBy(() -> DnsMessage.query(1, "x".repeat(64) + ".com", 1)).hasMessageContaining("64");
    assertThatThrownBy(() -> DnsMessage.query(1, "", 1)).hasMessageContaining("empty");
  }

  /** A response as a real server sends it: CNAME then A records, names compressed. */
  @Test
  void parsesCompressedAnswersAndKeepsOnlyTheAskedType() throws Exception {
    String hex = "1234" + "8180" + "0001" + "0003" + "0000" + "0000"
        + "03777777076578616d706c6503636f6d00" + "0001" + "0001"
        + "c00c" + "0005" + "0001" + "0000003c" + "0006" + "03636476c010"
        + "c02d" + "0001" + "0001" + "0000003c" + "0004" + "0a000001"
        + "c02d" + "0001" + "0001" + "0000003c" + "0004" + "0a000002";
    byte[] b = HexFormat.of().parseHex(hex);
    DnsMessage.Answer a = DnsMessage.parse(b, b.length, DnsMessage.TYPE_A);
    assertThat(a.id()).isEqualTo(0x1234);
    assertThat(a.rcode()).isZero();
    assertThat(a.addresses()).containsExactly(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"));
    assertThat(DnsMessage.parse(b, b.length, DnsMessage.TYPE_AAAA).addresses()).isEmpty();
  }

  @Test
  void nxdomainAndQueriesAreRecognised() {
    byte[] q = DnsMessage.query(7, "nope.lab", DnsMessage.TYPE_A);
    assertThatThrownBy(() -> DnsMessage.parse(q, q.length, 1)).hasMessageContaining("not a DNS response");
    byte[] r = q.clone();
    r[2] = (byte) 0x81;
    r[3] = (byte) 0x83;
    assertThat(DnsMessage.parse(r, r.length, 1).rcode()).isEqualTo(DnsMessage.RCODE_NXDOMAIN);
  }

  /** Truncated or random bytes give IllegalArgumentException, never another exception. */
  @Test
  void malformedInputOnlyEverThrowsIllegalArgument() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    byte[] good = HexFormat.of().parseHex("123481800001000100000000" + "036c6162000001" + "0001"
        + "c00c00010001" + "00000e10" + "0004" + "0a000001");
    assertThat(DnsMessage.parse(good, good.length, DnsMessage.TYPE_A).addresses()).hasSize(1);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = i % 2 == 0 ? Arrays.copyOf(good, rnd.nextInt(good.length + 1)) : good.clone();
      if (i % 2 == 1) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        b[2] |= (byte) 0x80;
      }
      try {
        DnsMessage.parse(b, b.length, DnsMessage.TYPE_A);
      } catch (IllegalArgumentException expected) {
        // fine
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " case " + i + ": " + HexFormat.of().formatHex(b), e);
      }
    }
  }
}

package dev.ztjvm.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random round trips of the string and binary forms, and random corruption: parsing either succeeds or throws
 * IllegalArgumentException, never anything else.
 */
class IdentityFormsPropertyTest {

  private static final long SEED = 0x5eed_2026_0003L;

  @Test
  void stringAndBinaryFormsRoundTrip() {
    Random rnd = new Random(SEED);
    for (int c = 0; c < 2_000; c++) {
      long address;
      do {
        address = rnd.nextLong() & Address.MASK;
      } while (Address.isReserved(address));
      byte[] pub = new byte[64];
      byte[] priv = new byte[64];
      rnd.nextBytes(pub);
      rnd.nextBytes(priv);
      Identity id = Identity.of(address, pub, rnd.nextBoolean() ? priv : null);
      String why = "seed " + SEED + " case " + c;

      Identity viaPublic = Identity.parse(id.toPublicString());
      assertThat(viaPublic).as(why).isEqualTo(id);
      assertThat(viaPublic.publicKey()).as(why).isEqualTo(pub);
      assertThat(viaPublic.hasSecret()).as(why).isFalse();
      assertThat(id.toPublicString()).as(why).hasSize(Identity.PUBLIC_STRING_LENGTH);

      byte[] bin = new byte[3 + 135 + 3];
      int n = id.writeBinary(bin, 3, id.hasSecret());
      assertThat(Identity.binaryLength(bin, 3)).as(why).isEqualTo(n);
      Identity back = Identity.readBinary(bin, 3);
      assertThat(back).as(why).isEqualTo(id);
      assertThat(back.hasSecret()).as(why).isEqualTo(id.hasSecret());
      if (id.hasSecret()) {
        assertThat(Identity.parse(id.toSecretString()).privateKey()).as(why).isEqualTo(priv);
        assertThat(back.privateKey()).as(why).isEqualTo(priv);
        assertThat(id.toSecretString()).as(why).hasSize(Identity.SECRET_STRING_LENGTH);
      }
      assertThat(Arrays.copyOf(id.toBinary(false), 70)).as(why).isEqualTo(Arrays.copyOfRange(bin, 3, 73));
    }
  }

  @Test
  void corruptedInputsFailOnlyWithIllegalArgument() {
    Random rnd = new Random(SEED + 1);
    String base =
        "4f3f5c640a:0:85eeb0fbd29e7e92d20ca0cc525997b43e1fcfee41893033f3401bc22b65383dfba0cb5c607bbe073e35f226"
            + "a9d919be074300b657f51f5eea7e18c2bd9ac3da:1ed98b75336107fce4211eba98027fd3373cdccfbee8579a03207fe0932e42cc"
            + "cdf6cdd6541730550567a70965295d17aaf7d31e7473819fffeae1a55b8c4931";
    byte[] bin = Identity.parse(base).toBinary(true);
    String alphabet = "0123456789abcdefABCDEFxyz:- \n\u00e9";
    for (int c = 0; c < 10_000; c++) {
      StringBuilder s = new StringBuilder(base);
      int edits = 1 + rnd.nextInt(3);
      for (int e = 0; e < edits && s.length() > 0; e++) {
        int pos = rnd.nextInt(s.length());
        switch (rnd.nextInt(3)) {
          case 0 -> s.setCharAt(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
          case 1 -> s.deleteCharAt(pos);
          default -> s.insert(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
      }
      try {
        Identity.parse(s.toString());
      } catch (IllegalArgumentException expected) {
        assertThat(expected.getMessage()).as("seed %d case %d", SEED + 1, c).isNotBlank();
      }

      byte[] b = Arrays.copyOf(bin, rnd.nextInt(bin.length + 5));
      if (b.length > 0) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      }
      try {
        Identity.readBinary(b, 0);
      } catch (IllegalArgumentException expected) {
        assertThat(expected.getMessage()).as("seed %d case %d", SEED + 1, c).isNotBlank();
      }
    }
  }
}

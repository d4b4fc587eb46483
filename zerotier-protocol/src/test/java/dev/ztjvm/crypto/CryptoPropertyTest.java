package dev.ztjvm.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * Seeded random property tests: Salsa20 against BouncyCastle's engine as an oracle, sign/verify, agreement symmetry.
 * The seed is in every failure message.
 */
class CryptoPropertyTest {

  private static final long SEED = 0x5eed_2026_0001L;

  @Test
  void salsa20MatchesBouncyCastleForRandomKeysLengthsSplitsAndSeeks() {
    Random rnd = new Random(SEED);
    for (int c = 0; c < 2_000; c++) {
      int rounds = rnd.nextBoolean() ? 12 : 20;
      byte[] key = bytes(rnd, 32);
      byte[] nonce = bytes(rnd, 8);
      int len = rnd.nextInt(rnd.nextInt(10) == 0 ? 70_000 : 1_500);
      byte[] in = bytes(rnd, len);
      long startBlock = rnd.nextInt(4) == 0 ? rnd.nextInt(1 << 20) : 0;

      Salsa20Engine oracle = new Salsa20Engine(rounds);
      oracle.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
      oracle.seekTo(startBlock * 64);
      byte[] expect = new byte[len];
      oracle.processBytes(in, 0, len, expect, 0);

      Salsa20 ours = new Salsa20(rounds);
      ours.init(key, 0, nonce, 0);
      ours.seekBlock(startBlock);
      byte[] got = new byte[len + 5];
      int pos = 0;
      while (pos < len) { // random chunking exercises the partial-block buffer
        int n = Math.min(len - pos, rnd.nextInt(200));
        ours.crypt(in, pos, got, pos + 5, n);
        pos += n;
      }
      String why = "seed " + SEED + " case " + c + " rounds " + rounds + " len " + len + " block " + startBlock;
      assertThat(Arrays.copyOfRange(got, 5, len + 5)).as(why).isEqualTo(expect);

      // round trip in place: decrypting with a fresh instance restores the plaintext
      byte[] buf = expect.clone();
      Salsa20 dec = new Salsa20(rounds);
      dec.init(key, 0, nonce, 0);
      dec.seekBlock(startBlock);
      dec.crypt(buf, 0, buf, 0, len);
      assertThat(buf).as(why).isEqualTo(in);

      // keystream() equals encryption of zeros
      Salsa20 ks = new Salsa20(rounds);
      ks.init(key, 0, nonce, 0);
      ks.seekBlock(startBlock);
      byte[] stream = new byte[Math.min(len, 300)];
      ks.keystream(stream, 0, stream.length);
      for (int i = 0; i < stream.length; i++) {
        if ((byte) (stream[i] ^ in[i]) != expect[i]) {
          throw new AssertionError(why + ": keystream differs at byte " + i);
        }
      }
    }
  }

  @Test
  void signThenVerifyAndTamperedSignaturesFail() {
    Random rnd = new Random(SEED + 1);
    for (int c = 0; c < 300; c++) {
      byte[] priv = bytes(rnd, 64);
      byte[] pub = C25519.derivePublic(priv);
      byte[] msg = bytes(rnd, rnd.nextInt(500));
      byte[] sig = C25519.sign(priv, pub, msg, 0, msg.length);
      String why = "seed " + (SEED + 1) + " case " + c;
      assertThat(sig).hasSize(96);
      assertThat(C25519.verify(pub, msg, 0, msg.length, sig, 0, 96)).as(why).isTrue();
      byte[] badSig = sig.clone();
      badSig[rnd.nextInt(96)] ^= (byte) (1 << rnd.nextInt(8));
      assertThat(C25519.verify(pub, msg, 0, msg.length, badSig, 0, 96)).as(why).isFalse();
      if (msg.length > 0) {
        byte[] badMsg = msg.clone();
        badMsg[rnd.nextInt(msg.length)] ^= (byte) (1 << rnd.nextInt(8));
        assertThat(C25519.verify(pub, badMsg, 0, badMsg.length, sig, 0, 96)).as(why).isFalse();
      }
      assertThat(C25519.verify(pub, msg, 0, msg.length, sig, 0, 95)).as(why).isFalse();
    }
  }

  @Test
  void agreementIsSymmetric() {
    Random rnd = new Random(SEED + 2);
    for (int c = 0; c < 200; c++) {
      byte[] p1 = bytes(rnd, 64);
      byte[] p2 = bytes(rnd, 64);
      byte[] k12 = C25519.agree(p1, C25519.derivePublic(p2));
      byte[] k21 = C25519.agree(p2, C25519.derivePublic(p1));
      assertThat(k12).as("seed %d case %d", SEED + 2, c).hasSize(48).isEqualTo(k21);
      byte[] p3 = bytes(rnd, 64);
      assertThat(C25519.agree(p3, C25519.derivePublic(p1))).as("seed %d case %d", SEED + 2, c).isNotEqualTo(k12);
    }
  }

  static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }
}

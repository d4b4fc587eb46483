package dev.ztjvm.benchmarks.crypto;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Armor / dearmor of one 1,400-byte ZeroTier packet in place. Targets (per core, from the crypto note): about 110k
 * armor+dearmor pairs/s for suite 1 and about 650k armors/s for suite 3.
 *
 * <p>Baselines in the same run: suite 1 built from BouncyCastle's {@code Salsa20Engine} + {@code Poly1305} (the
 * straightforward library path), and a plain JDK AES-256-GCM encryption of the same payload for suite 3.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PacketArmorBenchmark {

  static final int PACKET = 1400;

  private final PacketArmor armor = new PacketArmor();
  private SymmetricKey key = SymmetricKey.of(new byte[48]);
  private final byte[] pkt = new byte[PACKET];
  private final byte[] k48 = new byte[48];

  // baseline state
  private final Salsa20Engine bcSalsa = new Salsa20Engine(12);
  private final Poly1305 bcPoly = new Poly1305();
  private final byte[] mangled = new byte[32];
  private final byte[] block0 = new byte[64];
  private final byte[] mac = new byte[16];
  private Cipher gcm;
  private SecretKeySpec gcmKey = new SecretKeySpec(new byte[32], "AES");
  private final byte[] gcmIv = new byte[12];
  private final byte[] gcmOut = new byte[PACKET + 16];
  private long counter;

  @Setup
  public void setup() throws GeneralSecurityException {
    Random r = new Random(3);
    r.nextBytes(k48);
    key = SymmetricKey.of(k48);
    r.nextBytes(pkt);
    pkt[18] = 0;
    gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcmKey = new SecretKeySpec(k48, 0, 32, "AES");
  }

  private void freshPacketId() {
    // a new packet ID per packet, as a sender would use
    long id = ++counter;
    for (int i = 0; i < 8; i++) {
      pkt[i] = (byte) (id >>> (8 * i));
    }
    pkt[18] = 0;
  }

  @Benchmark
  public byte suite1ArmorDearmorPair() {
    freshPacketId();
    armor.armor(pkt, 0, PACKET, key, PacketArmor.SUITE_POLY1305_SALSA2012);
    if (!armor.dearmor(pkt, 0, PACKET, key)) {
      throw new IllegalStateException("dearmor failed");
    }
    return pkt[30];
  }

  @Benchmark
  public byte suite1Armor() {
    freshPacketId();
    armor.armor(pkt, 0, PACKET, key, PacketArmor.SUITE_POLY1305_SALSA2012);
    return pkt[30];
  }

  @Benchmark
  public byte suite3Armor() {
    freshPacketId();
    armor.armor(pkt, 0, PACKET, key, PacketArmor.SUITE_AES_GMAC_SIV);
    return pkt[30];
  }

  @Benchmark
  public byte suite3ArmorDearmorPair() {
    freshPacketId();
    armor.armor(pkt, 0, PACKET, key, PacketArmor.SUITE_AES_GMAC_SIV);
    if (!armor.dearmor(pkt, 0, PACKET, key)) {
      throw new IllegalStateException("dearmor failed");
    }
    return pkt[30];
  }

  /** Baseline: the same suite-1 pair with BouncyCastle's Salsa20Engine and a new KeyParameter per packet. */
  @Benchmark
  public byte baselineSuite1PairBouncyCastle() {
    freshPacketId();
    pkt[18] = (byte) 0x88;
    bcSalsaPoly(true);
    if (!bcSalsaPoly(false)) {
      throw new IllegalStateException("baseline dearmor failed");
    }
    return pkt[30];
  }

  /** Baseline: plain JDK AES-256-GCM encryption of the 1,373-byte payload (fresh IV per packet). */
  @Benchmark
  public byte baselineAesGcmEncrypt() throws GeneralSecurityException {
    long id = ++counter;
    for (int i = 0; i < 8; i++) {
      gcmIv[i] = (byte) (id >>> (8 * i));
    }
    gcm.init(Cipher.ENCRYPT_MODE, gcmKey, new GCMParameterSpec(128, gcmIv));
    gcm.updateAAD(pkt, 8, 11);
    gcm.doFinal(pkt, 27, PACKET - 27, gcmOut, 0);
    return gcmOut[3];
  }

  private boolean bcSalsaPoly(boolean seal) {
    for (int i = 0; i < 18; i++) {
      mangled[i] = (byte) (k48[i] ^ pkt[i]);
    }
    mangled[18] = (byte) (k48[18] ^ (pkt[18] & 0xf8));
    mangled[19] = (byte) (k48[19] ^ PACKET);
    mangled[20] = (byte) (k48[20] ^ (PACKET >>> 8));
    System.arraycopy(k48, 21, mangled, 21, 11);
    byte[] nonce = new byte[8];
    System.arraycopy(pkt, 0, nonce, 0, 8);
    bcSalsa.init(true, new ParametersWithIV(new KeyParameter(mangled), nonce));
    java.util.Arrays.fill(block0, (byte) 0);
    bcSalsa.processBytes(block0, 0, 64, block0, 0);
    bcPoly.init(new KeyParameter(block0, 0, 32));
    if (seal) {
      bcSalsa.processBytes(pkt, 27, PACKET - 27, pkt, 27);
      bcPoly.update(pkt, 27, PACKET - 27);
      bcPoly.doFinal(mac, 0);
      System.arraycopy(mac, 0, pkt, 19, 8);
      return true;
    }
    bcPoly.update(pkt, 27, PACKET - 27);
    bcPoly.doFinal(mac, 0);
    int diff = 0;
    for (int i = 0; i < 8; i++) {
      diff |= mac[i] ^ pkt[19 + i];
    }
    if (diff != 0) {
      return false;
    }
    bcSalsa.processBytes(pkt, 27, PACKET - 27, pkt, 27);
    return true;
  }
}

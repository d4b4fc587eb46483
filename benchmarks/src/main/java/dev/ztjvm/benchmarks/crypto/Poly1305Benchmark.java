package dev.ztjvm.benchmarks.crypto;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Poly1305 with a new one-time key per message, as packets use it. {@code reusedKeyParameter} re-keys through the
 * one {@code KeyParameter} array (what {@code PacketArmor} does, no allocation); the baseline allocates a new
 * {@code KeyParameter} per message. MB/s = ops/s × size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Poly1305Benchmark {

  @Param({"1400", "65536"}) public int size;

  private final byte[] key = new byte[32];
  private byte[] msg = new byte[0];
  private final byte[] tag = new byte[16];
  private final Poly1305 mac = new Poly1305();
  private final KeyParameter shared = new KeyParameter(new byte[32]);

  @Setup
  public void setup() {
    Random r = new Random(2);
    r.nextBytes(key);
    msg = new byte[size];
    r.nextBytes(msg);
  }

  @Benchmark
  public byte reusedKeyParameter() {
    key[0]++;
    System.arraycopy(key, 0, shared.getKey(), 0, 32);
    mac.init(shared);
    mac.update(msg, 0, msg.length);
    mac.doFinal(tag, 0);
    return tag[0];
  }

  @Benchmark
  public byte baselineNewKeyParameter() {
    key[0]++;
    mac.init(new KeyParameter(key));
    mac.update(msg, 0, msg.length);
    mac.doFinal(tag, 0);
    return tag[0];
  }
}

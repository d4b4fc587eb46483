package dev.ztjvm.benchmarks.crypto;

import dev.ztjvm.crypto.Salsa20;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Salsa20/12: key setup per buffer, then keystream XOR in place (what packet armor does). Ours vs BouncyCastle's
 * {@code Salsa20Engine} (baseline). MB/s = ops/s × size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Salsa20Benchmark {

  @Param({"1400", "65536"}) public int size;

  private final byte[] key = new byte[32];
  private final byte[] nonce = new byte[8];
  private byte[] buf = new byte[0];
  private final Salsa20 ours = new Salsa20(12);
  private final Salsa20Engine bc = new Salsa20Engine(12);
  private KeyParameter bcKey = new KeyParameter(new byte[32]);

  @Setup
  public void setup() {
    Random r = new Random(1);
    r.nextBytes(key);
    r.nextBytes(nonce);
    buf = new byte[size];
    r.nextBytes(buf);
    bcKey = new KeyParameter(key);
  }

  @Benchmark
  public byte ours() {
    ours.init(key, 0, nonce, 0);
    ours.crypt(buf, 0, buf, 0, buf.length);
    return buf[0];
  }

  @Benchmark
  public byte baselineBouncyCastle() {
    bc.init(true, new ParametersWithIV(bcKey, nonce));
    bc.processBytes(buf, 0, buf.length, buf, 0);
    return buf[0];
  }
}

package dev.ztjvm.benchmarks.crypto;

import dev.ztjvm.identity.Identity;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Identity generation (ms per identity) on all cores, with the single-threaded search as the baseline, and
 * validation of a known identity (one memory-hard hash). Generation time is geometric (≈1 in 15 candidates is
 * accepted), so expect wide error bars on short runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IdentityBenchmark {

  private static final String KNOWN_GOOD = "8e4df28b72:0:ac3d46abe0c21f3cfe7a6c8d6a85cfcffcb82fbd55af6a4d6350657c6820"
      + "0843fa2e16f9418bbd9702cae365f2af5fb4c420908b803a681d4daef6114d78a2d7";

  private final SecureRandom random = new SecureRandom();

  @Benchmark
  public Identity generateAllCores() {
    return Identity.generate(random, Runtime.getRuntime().availableProcessors());
  }

  @Benchmark
  public Identity baselineGenerateOneThread() {
    return Identity.generate(random, 1);
  }

  /** A freshly parsed identity each time: {@code Identity} remembers its validation result. */
  @Benchmark
  public boolean validate() {
    return Identity.parse(KNOWN_GOOD).locallyValidate();
  }
}

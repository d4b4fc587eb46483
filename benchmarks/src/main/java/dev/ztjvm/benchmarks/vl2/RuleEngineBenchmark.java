package dev.ztjvm.benchmarks.vl2;

import dev.ztjvm.vl2.FilterResult;
import dev.ztjvm.vl2.Rule;
import dev.ztjvm.vl2.RuleEngine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of filtering one IPv4 TCP frame through the default rules and a typical "drop SSH, IP only" rule set. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RuleEngineBenchmark {
  private final RuleEngine engine = new RuleEngine(0x1111111111L, () -> 0);
  private final FilterResult result = new FilterResult();
  private final RuleEngine.Context acceptAll = new RuleEngine.Context(RuleEngine.DEFAULT_RULES, List.of(),
      RuleEngine.TagLookup.NONE, null, RuleEngine.Ownership.NONE, 0);
  private final RuleEngine.Context typical = new RuleEngine.Context(List.of(
      Rule.matchEthertype(0x0800).inverted(), Rule.matchEthertype(0x0806).inverted(),
      Rule.matchEthertype(0x86dd).inverted(), Rule.drop(),
      Rule.matchIpProtocol(6), Rule.matchDestPortRange(22, 22), Rule.drop(),
      Rule.matchCharacteristics(Rule.CHAR_INBOUND), Rule.matchCharacteristics(Rule.CHAR_TCP_SYN),
      Rule.matchCharacteristics(Rule.CHAR_TCP_ACK).inverted(), Rule.matchDestPortRange(1, 1023), Rule.drop(),
      Rule.accept()), List.of(), RuleEngine.TagLookup.NONE, null, RuleEngine.Ownership.NONE, 0);
  private final byte[] frame = tcpFrame();

  private static byte[] tcpFrame() {
    byte[] f = new byte[60];
    f[0] = 0x45;
    f[9] = 6;
    f[12] = 10;
    f[15] = 2;
    f[16] = 10;
    f[19] = 1;
    f[22] = 0;
    f[23] = 80; // dport 80
    f[32] = 0x50;
    f[33] = 0x10; // ACK
    return f;
  }

  @Benchmark
  public boolean defaultRules() {
    return engine.filterInbound(acceptAll, 0x2222222222L, 0x1111111111L, 1, 2, 0x0800, 0, frame, 0, frame.length,
        result).accepted();
  }

  @Benchmark
  public boolean typicalRules() {
    return engine.filterInbound(typical, 0x2222222222L, 0x1111111111L, 1, 2, 0x0800, 0, frame, 0, frame.length,
        result).accepted();
  }
}

package dev.ztjvm.benchmarks.vl1;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.vl1.Fragments;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.PacketCompressor;
import dev.ztjvm.vl1.Verb;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Packets per second through the VL1 receive path (classify, dearmor, decompress check, header parse, verb dispatch
 * down to a FRAME's network ID and ethertype) and the send path (header build, payload copy, fragmentation check,
 * armor) for suites 1 and 3 with a 1,400-byte payload. Run: {@code java -jar benchmarks/target/benchmarks.jar
 * Vl1PacketBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Vl1PacketBenchmark {

  static final int PAYLOAD = 1400;
  static final long SOURCE = 0x1122334455L;
  static final long DEST = 0x5544332211L;

  @Param({"1", "3"}) public int suite;

  private final PacketArmor armor = new PacketArmor();
  private final PacketCompressor compressor = new PacketCompressor();
  private SymmetricKey key = SymmetricKey.of(new byte[48]);
  private final byte[] payload = new byte[PAYLOAD];
  private final byte[] wire = new byte[Packet.HEADER_LENGTH + PAYLOAD];
  private final byte[] rx = new byte[Packet.MAX_PACKET_LENGTH];
  private final byte[] tx = new byte[Packet.MAX_PACKET_LENGTH];
  private long packetId;

  @Setup
  public void setup() {
    Random r = new Random(12);
    byte[] k = new byte[48];
    r.nextBytes(k);
    key = SymmetricKey.of(k);
    r.nextBytes(payload);
    Bytes.put64(payload, 0, 0xea7ca3b1d7000001L); // FRAME: network ID, ethertype IPv4
    Bytes.put16(payload, 8, 0x0800);
    int len = build(wire, 0x0123456789abcdefL);
    armor.armor(wire, 0, len, key, suite);
  }

  private int build(byte[] buf, long id) {
    Packet.writeHeader(buf, 0, id, DEST, SOURCE, Verb.FRAME);
    System.arraycopy(payload, 0, buf, Packet.IDX_PAYLOAD, PAYLOAD);
    return Packet.HEADER_LENGTH + PAYLOAD;
  }

  /** Receive: datagram in, FRAME's network ID and ethertype out. */
  @Benchmark
  public long receive() {
    int len = wire.length;
    System.arraycopy(wire, 0, rx, 0, len); // the socket read would land here
    if (!Packet.isPacketHead(rx, 0, len) || Packet.isFragmented(rx, 0) || Packet.destination(rx, 0) != DEST) {
      throw new IllegalStateException("classification");
    }
    if (!armor.dearmor(rx, 0, len, key)) {
      throw new IllegalStateException("dearmor failed");
    }
    len = compressor.decompress(rx, 0, len);
    Verb v = Verb.of(Packet.verbByte(rx, 0));
    if (v == null) {
      return -1;
    }
    switch (v) {
      case FRAME:
        return Bytes.u64(rx, Packet.IDX_PAYLOAD) ^ Bytes.u16(rx, Packet.IDX_PAYLOAD + 8) ^ len;
      default:
        return Packet.source(rx, 0);
    }
  }

  /** Send: build a FRAME with a fresh packet ID and armor it. */
  @Benchmark
  public long send() {
    int len = build(tx, ++packetId);
    if (Fragments.needsFragmentation(len, Packet.DEFAULT_PHYSICAL_MTU)) {
      throw new IllegalStateException("unexpected fragmentation");
    }
    armor.armor(tx, 0, len, key, suite);
    return Packet.packetId(tx, 0);
  }
}

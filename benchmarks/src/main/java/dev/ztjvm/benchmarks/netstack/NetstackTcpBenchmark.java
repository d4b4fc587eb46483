package dev.ztjvm.benchmarks.netstack;

import dev.ztjvm.benchmarks.support.PacketEconomy;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.netstack.tcp.TcpConnection;
import dev.ztjvm.netstack.tcp.TcpHandler;
import dev.ztjvm.netstack.tcp.TcpState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Our TCP/IP stack (two {@code NetworkInterface}s with TCP over an in-memory Ethernet link, MTU 2800, one thread)
 * against the JDK's own sockets over the kernel loopback (non-blocking, also driven from one thread), in the same
 * run:
 *
 * <ul>
 *   <li>{@code throughput*}: one operation moves 1 MiB through one connection, so ops/s = MiB/s;
 *   <li>{@code pingPong*}: a 1-byte request and its 1-byte echo (no-delay on), time per round trip;
 *   <li>{@code connect*}: handshake, accept and abortive close (RST, so no TIME_WAIT piles up), ops/s.
 * </ul>
 *
 * <p>{@code throughputNetstack} also reports secondary results ({@link Economy}): process CPU time, MB moved and the
 * receiving stack's packet economy (data segments in, pure ACKs and window updates out); the trial ends with a line
 * "throughputNetstack economy: cpu … core-ms/MB …" with the ratios over the measured iterations.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar NetstackTcpBenchmark}.
 */
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NetstackTcpBenchmark {

  static final int MIB = 1 << 20;
  /** An operation that takes this long has hung (reported as a failure rather than waiting forever). */
  static final long STALL_NANOS = 10_000_000_000L;

  /** Two stacks with one established connection and a listener for new ones. */
  @State(Scope.Thread)
  public static class Stack {
    MemoryLink link;
    TcpConnection client;
    TcpConnection server;
    final ArrayDeque<TcpConnection> accepted = new ArrayDeque<>();
    final byte[] data = new byte[256 * 1024];
    final byte[] sink = new byte[256 * 1024];

    @Setup(Level.Trial)
    public void setUp() {
      TcpConfig cfg = TcpConfig.builder().noDelay(true).mslNanos(1_000_000L).build();
      link = new MemoryLink(2800, cfg);
      link.b.tcp().listen(null, 80, 4096, l -> {
        TcpConnection c;
        while ((c = l.accept()) != null) {
          accepted.add(c);
        }
      });
      client = link.a.tcp().connect(link.addressB.getAddress(), 80, TcpHandler.NONE);
      while (accepted.isEmpty() || client.state() != TcpState.ESTABLISHED) {
        turn(link.a);
      }
      server = accepted.poll();
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) i;
      }
    }

    /** One turn of the one-thread driver: {@code side}'s timers run, then the link delivers what is in flight. */
    void turn(NetworkInterface side) {
      side.poll(System.nanoTime());
      link.pump();
    }

    /** {@link #turn}, failing the operation begun at {@code start} if it has run for {@link #STALL_NANOS}. */
    void turn(NetworkInterface side, long start) {
      checkStall(start, this);
      turn(side);
    }
  }

  /**
   * Secondary results of {@code throughputNetstack}: per iteration, process CPU milliseconds, MB moved, and the
   * receiver's data segments in, pure ACKs and window updates out (JMH adds them up over the measured iterations; the
   * ratios are printed at the end of the trial).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Economy {
    public double cpuMs;
    public double megabytes;
    public long dataSegments;
    public long pureAcks;
    public long windowUpdates;
    long bytes;
    private boolean measured;
    final PacketEconomy meter = new PacketEconomy();

    @Setup(Level.Iteration)
    public void reset(IterationParams iteration) {
      bytes = 0;
      measured = iteration.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Iteration)
    public void iterationDone() {
      PacketEconomy.Result r = meter.end(bytes, measured);
      cpuMs = r.cpuMs();
      megabytes = r.megabytes();
      dataSegments = r.dataSegments();
      pureAcks = r.pureAcks();
      windowUpdates = r.windowUpdates();
    }

    @TearDown(Level.Trial)
    public void trialDone() {
      System.out.println("throughputNetstack economy: " + meter.summary());
    }
  }

  /** A connected pair of kernel loopback sockets, non-blocking, plus a listening socket. */
  @State(Scope.Thread)
  public static class Jdk {
    ServerSocketChannel listener;
    SocketChannel client;
    SocketChannel server;
    InetSocketAddress address;
    final ByteBuffer out = ByteBuffer.allocateDirect(256 * 1024);
    final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
    final ByteBuffer one = ByteBuffer.allocateDirect(1);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      listener = ServerSocketChannel.open();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
      address = (InetSocketAddress) listener.getLocalAddress();
      client = SocketChannel.open(address);
      server = listener.accept();
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
      server.setOption(StandardSocketOptions.TCP_NODELAY, true);
      client.configureBlocking(false);
      server.configureBlocking(false);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      client.close();
      server.close();
      listener.close();
    }
  }

  private static void checkStall(long start, Stack s) {
    if (System.nanoTime() - start > STALL_NANOS) {
      throw new IllegalStateException("TCP stalled for 10 s; client " + s.client + ", server " + s.server);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long throughputNetstack(Stack s, Economy economy) {
    if (!economy.meter.running()) {
      economy.meter.begin(s.link.b.tcp()::stats);
    }
    long sent = 0;
    long received = 0;
    long start = System.nanoTime();
    while (received < MIB) {
      if (System.nanoTime() - start > STALL_NANOS) {
        throw new IllegalStateException("TCP stalled: " + received + " of " + MIB + " bytes in 10 s; client "
            + s.client + ", server " + s.server);
      }
      if (sent < MIB) {
        int n = s.client.write(s.data, 0, (int) Math.min(s.data.length, MIB - sent));
        sent += n;
      }
      s.turn(s.link.a);
      int r;
      while ((r = s.server.read(s.sink, 0, s.sink.length)) > 0) {
        received += r;
      }
    }
    economy.bytes += received;
    return received;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long throughputJdkLoopback(Jdk j) throws IOException {
    long sent = 0;
    long received = 0;
    while (received < MIB) {
      if (sent < MIB) {
        j.out.clear();
        j.out.limit((int) Math.min(j.out.capacity(), MIB - sent));
        sent += j.client.write(j.out);
      }
      j.in.clear();
      int r;
      while ((r = j.server.read(j.in)) > 0) {
        received += r;
        j.in.clear();
      }
    }
    return received;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int pingPongNetstack(Stack s) {
    long start = System.nanoTime();
    s.client.write(s.data, 0, 1);
    while (s.server.read(s.sink, 0, 1) <= 0) {
      s.turn(s.link.a, start);
    }
    s.server.write(s.sink, 0, 1);
    int r;
    while ((r = s.client.read(s.sink, 0, 1)) <= 0) {
      s.turn(s.link.b, start);
    }
    return r;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int pingPongJdkLoopback(Jdk j) throws IOException {
    j.one.clear();
    while (j.client.write(j.one) == 0) {
      Thread.onSpinWait();
    }
    j.one.clear();
    while (j.server.read(j.one) <= 0) {
      Thread.onSpinWait();
    }
    j.one.flip();
    while (j.server.write(j.one) == 0) {
      Thread.onSpinWait();
    }
    j.one.clear();
    int r;
    while ((r = j.client.read(j.one)) <= 0) {
      Thread.onSpinWait();
    }
    return r;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public TcpState connectNetstack(Stack s) {
    long start = System.nanoTime();
    TcpConnection c = s.link.a.tcp().connect(s.link.addressB.getAddress(), 80, TcpHandler.NONE);
    while (s.accepted.isEmpty() || c.state() != TcpState.ESTABLISHED) {
      s.turn(s.link.a, start);
      if (c.state() == TcpState.CLOSED) {
        throw new IllegalStateException("connect failed: " + c.error());
      }
    }
    TcpConnection accepted = s.accepted.poll();
    c.abort();
    accepted.abort();
    s.turn(s.link.a);
    return c.state();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public boolean connectJdkLoopback(Jdk j) throws IOException {
    try (SocketChannel c = SocketChannel.open(j.address); SocketChannel a = j.listener.accept()) {
      c.setOption(StandardSocketOptions.SO_LINGER, 0);
      a.setOption(StandardSocketOptions.SO_LINGER, 0);
      return c.isConnected() && a.isConnected();
    }
  }
}

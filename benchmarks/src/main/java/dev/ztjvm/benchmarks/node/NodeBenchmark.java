package dev.ztjvm.benchmarks.node;

import dev.ztjvm.benchmarks.support.PacketEconomy;
import dev.ztjvm.benchmarks.support.ServerThreads;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.tcp.TcpStats;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkStatistics;
import dev.ztjvm.sockets.ZeroTierNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Two {@link ZeroTierNode}s in one JVM on a {@link LocalZeroTier} (root and controller in process), talking over
 * loopback UDP with ZeroTier's packet encryption (Salsa20/12 + Poly1305 or AES-GMAC-SIV, as negotiated), through the
 * in-JVM TCP/IP stack and blocking {@code ZeroTierSocket}s; against JDK sockets over the kernel loopback in the same
 * run ({@code transport=jdk}):
 *
 * <ul>
 *   <li>{@code throughput}: one operation writes 1 MiB into a client stream while a server thread on the other node
 *       reads and discards, so ops/s = MiB/s in steady state;
 *   <li>{@code pingPong}: write 1 byte, read its 1-byte echo (TCP_NODELAY), time per round trip (sample mode: p50,
 *       p99);
 *   <li>{@code connectClose}: open a TCP connection to a server that accepts and closes, read its EOF, close (abortive,
 *       SO_LINGER 0, so no TIME_WAIT piles up on either transport); ops/s = connections/s;
 *   <li>{@code startToOnline}: start a node (identity made beforehand) and wait until the root answers, then stop it.
 *       Baseline: bind a UDP socket and get one reply from a loopback responder.
 * </ul>
 *
 * <p>{@code throughput} also reports secondary results ({@link Economy}): process CPU time and MB moved (CPU of
 * both nodes, the in-process root and the writer and reader threads; for {@code jdk} the kernel's TCP work is
 * charged to the process only in part) and the receiving node's TCP packet economy ({@code dataSegments},
 * {@code pureAcks}, {@code windowUpdates}; zero for {@code jdk}); the trial ends with a line "throughput economy:
 * cpu … core-ms/MB …" with the ratios over the measured iterations.
 *
 * <p>Idle heap per node is measured by {@link IdleHeap} (not a JMH benchmark).
 */
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class NodeBenchmark {

  static final int MIB = 1 << 20;
  static final Duration WAIT = Duration.ofSeconds(30);

  /** {@code zerotier}: two nodes over loopback UDP with encryption; {@code jdk}: kernel loopback sockets. */
  @Param({"zerotier", "jdk"}) public String transport;

  private @Nullable LocalZeroTier zt;
  private @Nullable ZeroTierNode nodeA;
  private @Nullable ZeroTierNode nodeB;
  private @Nullable Identity startIdentity;
  private @Nullable DatagramSocket udpResponder;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Socket streamClient;
  private OutputStream streamOut;
  private InputStream echoIn;
  private OutputStream echoOut;
  private InetSocketAddress acceptCloseServer;
  private final byte[] data = new byte[MIB];
  private final byte[] one = new byte[1];

  /** The node that receives the {@code throughput} stream (null for {@code jdk}), read by {@link Economy}. */
  static volatile @Nullable ZeroTierNode streamReceiver;

  /**
   * Secondary results of {@code throughput}: per iteration, process CPU milliseconds, MB moved, and the receiver's
   * data segments in, pure ACKs and window updates out (JMH adds them up over the measured iterations; the ratios are
   * printed at the end of the trial).
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
      System.out.println("throughput economy: " + meter.summary());
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ServerSocket sink;
    ServerSocket echo;
    ServerSocket acceptClose;
    InetAddress serverAddress;
    if (transport.equals("zerotier")) {
      LocalZeroTier z = LocalZeroTier.start();
      zt = z;
      long nwid = z.createPublicNetwork("bench", "10.147.81.0/24", "10.147.81.10", "10.147.81.20", false);
      ZeroTierNode a = z.nodeBuilder().build();
      ZeroTierNode b = z.nodeBuilder().build();
      nodeA = a;
      nodeB = b;
      streamReceiver = b;
      a.awaitNetworkReady(nwid, WAIT);
      serverAddress = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
      sink = b.newServerSocket(9000);
      echo = b.newServerSocket(9001);
      acceptClose = new dev.ztjvm.sockets.ZeroTierServerSocket(b.netstack(), 9002, 1024, null);
      startIdentity = Identity.generate();
    } else {
      serverAddress = InetAddress.getLoopbackAddress();
      sink = new ServerSocket(0, 50, serverAddress);
      echo = new ServerSocket(0, 50, serverAddress);
      acceptClose = new ServerSocket(0, 1024, serverAddress);
      DatagramSocket responder = new DatagramSocket(0, serverAddress);
      udpResponder = responder;
      closeables.add(responder);
      ServerThreads.startDaemon("udp-responder", () -> {
        byte[] buf = new byte[64];
        while (true) {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          responder.receive(p);
          responder.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
        }
      });
    }
    closeables.add(sink);
    closeables.add(echo);
    closeables.add(acceptClose);
    ServerThreads.startSink(sink);
    ServerThreads.startEcho(echo);
    ServerThreads.startDaemon("accept-close", () -> {
      while (true) {
        Socket s = acceptClose.accept();
        s.close();
      }
    });
    acceptCloseServer = new InetSocketAddress(serverAddress, acceptClose.getLocalPort());
    streamClient = connect(new InetSocketAddress(serverAddress, sink.getLocalPort()));
    streamOut = streamClient.getOutputStream();
    Socket echoClient = connect(new InetSocketAddress(serverAddress, echo.getLocalPort()));
    echoClient.setTcpNoDelay(true);
    echoIn = echoClient.getInputStream();
    echoOut = echoClient.getOutputStream();
    closeables.add(streamClient);
    closeables.add(echoClient);
  }

  private Socket connect(InetSocketAddress to) throws IOException {
    Socket s = nodeA != null ? nodeA.newSocket() : new Socket();
    s.connect(to, 10_000);
    return s;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    streamReceiver = null;
    if (nodeA != null && nodeB != null && Boolean.getBoolean("node.stats")) {
      // -Dnode.stats=true (in the fork: -jvmArgsAppend -Dnode.stats=true): what TCP and VL1 saw during the trial
      for (ZeroTierNode n : new ZeroTierNode[] {nodeA, nodeB}) {
        dev.ztjvm.sockets.NodeStatistics st = n.statistics();
        System.out.println("node " + n.nodeIdString() + " tcp " + st.tcp().counters() + " vl1 drops " + st.drops()
            + " udp in/out " + st.datagramsIn() + "/" + st.datagramsOut());
      }
    }
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
    for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, zt}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // best effort
        }
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void throughput(Economy economy) throws IOException {
    if (!economy.meter.running()) {
      economy.meter.begin(NodeBenchmark::receiverTcp);
    }
    streamOut.write(data);
    economy.bytes += MIB;
  }

  /** TCP counters of the node receiving the stream (zero for {@code jdk}). */
  private static TcpStats receiverTcp() {
    ZeroTierNode n = streamReceiver;
    TcpStats sum = PacketEconomy.zero();
    if (n != null) {
      // per network: the stacks' own snapshots, with every counter
      for (NetworkStatistics net : n.statistics().networks()) {
        sum = sum.plus(net.tcp().counters());
      }
    }
    return sum;
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int pingPong() throws IOException {
    one[0]++;
    echoOut.write(one);
    return echoIn.read();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int connectClose() throws IOException {
    try (Socket s = connect(acceptCloseServer)) {
      int eof = s.getInputStream().read();
      s.setSoLinger(true, 0);
      return eof;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public boolean startToOnline() throws Exception {
    if (zt != null) {
      try (ZeroTierNode n = zt.nodeBuilder().identity(startIdentity).build()) {
        n.awaitOnline(WAIT);
        return n.isOnline();
      }
    }
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      byte[] b = new byte[8];
      s.send(new DatagramPacket(b, b.length, udpResponder.getLocalSocketAddress()));
      DatagramPacket reply = new DatagramPacket(new byte[8], 8);
      s.receive(reply);
      return reply.getLength() == 8;
    }
  }
}

package dev.ztjvm.benchmarks.sockets;

import dev.ztjvm.benchmarks.support.ServerThreads;
import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.ZeroTierSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
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

/**
 * Blocking {@link ZeroTierSocket}s between two {@link NetstackHost}s (each its own loop thread) joined by an
 * in-memory Ethernet wire (MTU 2800), against JDK {@link Socket}s over the kernel loopback, in the same run:
 *
 * <ul>
 *   <li>{@code throughput}: one operation writes 1 MiB into the client's output stream while a server thread reads
 *       and discards, so ops/s = MiB/s in steady state;
 *   <li>{@code pingPong}: write 1 byte, read its 1-byte echo (TCP_NODELAY on), time per round trip.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SocketsBenchmark}.
 */
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class SocketsBenchmark {

  static final int MIB = 1 << 20;

  /** {@code zerotier}: our stack and sockets; {@code jdk}: kernel loopback sockets. */
  @Param({"zerotier", "jdk"}) public String transport;

  private NetstackHost hostA;
  private NetstackHost hostB;
  private ServerSocket sinkServer;
  private ServerSocket echoServer;
  private Socket streamClient;
  private OutputStream streamOut;
  private Socket echoClient;
  private InputStream echoIn;
  private OutputStream echoOut;
  private final byte[] data = new byte[MIB];
  private final byte[] one = new byte[1];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    InetAddress serverAddress;
    if (transport.equals("zerotier")) {
      hostA = NetstackHost.withOwnLoop("bench-a");
      hostB = NetstackHost.withOwnLoop("bench-b");
      NetworkInterface[] nif = new NetworkInterface[2];
      TcpConfig tcp = TcpConfig.defaults();
      nif[0] = hostA.addInterface(InterfaceConfig.builder(new MacAddress(0x02_00_00_00_00_01L)).build(),
          (f, off, len) -> hostB.receiveFrame(nif[1], f, off, len), tcp);
      nif[1] = hostB.addInterface(InterfaceConfig.builder(new MacAddress(0x02_00_00_00_00_02L)).build(),
          (f, off, len) -> hostA.receiveFrame(nif[0], f, off, len), tcp);
      InetAddress a = InetAddress.getByName("10.147.17.1");
      serverAddress = InetAddress.getByName("10.147.17.2");
      hostA.call(() -> {
        nif[0].addAddress(a, 24);
        return null;
      });
      hostB.call(() -> {
        nif[1].addAddress(serverAddress, 24);
        return null;
      });
      sinkServer = new ZeroTierServerSocket(hostB, 9000);
      echoServer = new ZeroTierServerSocket(hostB, 9001);
    } else {
      serverAddress = InetAddress.getLoopbackAddress();
      sinkServer = new ServerSocket(0, 50, serverAddress);
      echoServer = new ServerSocket(0, 50, serverAddress);
    }
    ServerThreads.startSink(sinkServer);
    ServerThreads.startEcho(echoServer);
    streamClient = connect(serverAddress, sinkServer.getLocalPort());
    streamOut = streamClient.getOutputStream();
    echoClient = connect(serverAddress, echoServer.getLocalPort());
    echoClient.setTcpNoDelay(true);
    echoIn = echoClient.getInputStream();
    echoOut = echoClient.getOutputStream();
  }

  private Socket connect(InetAddress address, int port) throws IOException {
    return transport.equals("zerotier") ? new ZeroTierSocket(hostA, address, port) : new Socket(address, port);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    streamClient.close();
    echoClient.close();
    sinkServer.close();
    echoServer.close();
    if (hostA != null) {
      hostA.close();
      hostB.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void throughput() throws IOException {
    streamOut.write(data);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int pingPong() throws IOException {
    one[0]++;
    echoOut.write(one);
    return echoIn.read();
  }
}

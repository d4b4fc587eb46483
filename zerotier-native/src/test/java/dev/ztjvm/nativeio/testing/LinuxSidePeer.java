package dev.ztjvm.nativeio.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The Linux side of the interop tests: a small program run with the same JDK inside the test's network namespace
 * ({@code ip netns exec NS java -cp <test classes> ...LinuxSidePeer MODE ARGS}), so it uses the kernel's TCP/IP.
 * It depends on the JDK only. It reports on standard output, one line per event, which the test parses:
 * {@code READY <port>} once it listens, {@code RECV ...} for datagrams, {@code RESULT ...} at the end of a TCP run.
 *
 * <p>Modes:
 * <ul>
 *   <li>{@code udp-send HOST PORT TEXT} — sends TEXT once;
 *   <li>{@code udp-recv BIND PORT} — prints {@code RECV <src-ip> <src-port> <text>} for one datagram;
 *   <li>{@code udp-echo BIND PORT COUNT} — echoes COUNT datagrams to their senders, printing each;
 *   <li>{@code udp-ping HOST PORT COUNT SIZE} — sends COUNT numbered datagrams of SIZE bytes one at a time, each
 *       until its echo comes back intact (up to 5 tries, 2 s apart), then prints {@code RESULT <echoed> <count>};
 *   <li>{@code tcp-server BIND PORT SEND_BYTES SEED} and {@code tcp-client HOST PORT SEND_BYTES SEED} — one
 *       connection, full duplex: send SEND_BYTES pseudo-random bytes (from SEED) and close the sending half, while
 *       reading to end of stream; then print {@code RESULT <sent-sha256> <sent-bytes> <received-sha256>
 *       <received-bytes>}.
 * </ul>
 */
public final class LinuxSidePeer {

  private LinuxSidePeer() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: LinuxSidePeer MODE ARGS...");
    }
    switch (args[0]) {
      case "udp-send" -> udpSend(args[1], Integer.parseInt(args[2]), args[3]);
      case "udp-recv" -> udpReceive(args[1], Integer.parseInt(args[2]));
      case "udp-echo" -> udpEcho(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "udp-ping" -> udpPing(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]));
      case "tcp-server" -> tcpServer(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]),
          Long.parseLong(args[4]));
      case "tcp-client" -> tcpClient(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]),
          Long.parseLong(args[4]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.out.flush();
  }

  private static void udpSend(String host, int port, String text) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      s.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getByName(host), port)));
      System.out.println("SENT " + b.length);
    }
  }

  private static void udpReceive(String bind, int port) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bind), port))) {
      System.out.println("READY " + s.getLocalPort());
      System.out.flush();
      byte[] b = new byte[65536];
      DatagramPacket p = new DatagramPacket(b, b.length);
      s.receive(p);
      System.out.println("RECV " + p.getAddress().getHostAddress() + " " + p.getPort() + " "
          + new String(b, 0, p.getLength(), StandardCharsets.UTF_8));
    }
  }

  private static void udpEcho(String bind, int port, int count) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bind), port))) {
      System.out.println("READY " + s.getLocalPort());
      System.out.flush();
      byte[] b = new byte[65536];
      for (int i = 0; i < count; i++) {
        DatagramPacket p = new DatagramPacket(b, b.length);
        s.receive(p);
        s.send(new DatagramPacket(b, p.getLength(), p.getSocketAddress()));
        System.out.println("ECHO " + p.getAddress().getHostAddress() + " " + p.getPort() + " " + p.getLength());
        System.out.flush();
      }
    }
  }

  private static void udpPing(String host, int port, int count, int size) throws IOException {
    InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(host), port);
    int echoed = 0;
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2000);
      byte[] in = new byte[65536];
      for (int i = 0; i < count; i++) {
        byte[] out = new byte[size];
        fill(new SplittableRandom(i), out, size);
        out[0] = (byte) i;
        boolean ok = false;
        for (int attempt = 0; attempt < 5 && !ok; attempt++) {
          s.send(new DatagramPacket(out, size, target));
          try {
            while (!ok) {
              DatagramPacket p = new DatagramPacket(in, in.length);
              s.receive(p);
              ok = p.getLength() == size && java.util.Arrays.equals(in, 0, size, out, 0, size);
            }
          } catch (java.net.SocketTimeoutException e) {
            System.out.println("RETRY " + i);
          }
        }
        if (ok) {
          echoed++;
        }
      }
    }
    System.out.println("RESULT " + echoed + " " + count);
  }

  private static void tcpServer(String bind, int port, long sendBytes, long seed) throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
      System.out.println("READY " + server.getLocalPort());
      System.out.flush();
      try (Socket s = server.accept()) {
        duplex(s, sendBytes, seed);
      }
    }
  }

  private static void tcpClient(String host, int port, long sendBytes, long seed) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 30_000);
      duplex(s, sendBytes, seed);
    }
  }

  /** Sends and receives at once (a sequential exchange could deadlock once both windows fill). */
  private static void duplex(Socket s, long sendBytes, long seed) throws Exception {
    MessageDigest sentHash = MessageDigest.getInstance("SHA-256");
    Throwable[] sendFailure = new Throwable[1];
    Thread sender = new Thread(() -> {
      try {
        OutputStream out = s.getOutputStream();
        streamTo(out, sendBytes, seed, sentHash);
        s.shutdownOutput();
      } catch (Throwable t) {
        sendFailure[0] = t;
      }
    }, "peer-sender");
    sender.start();
    MessageDigest receivedHash = MessageDigest.getInstance("SHA-256");
    long received = 0;
    InputStream in = s.getInputStream();
    byte[] buf = new byte[65536];
    int n;
    while ((n = in.read(buf)) > 0) {
      receivedHash.update(buf, 0, n);
      received += n;
    }
    sender.join();
    if (sendFailure[0] != null) {
      throw new IOException("sending failed", sendFailure[0]);
    }
    HexFormat hex = HexFormat.of();
    System.out.println("RESULT " + hex.formatHex(sentHash.digest()) + " " + sendBytes + " "
        + hex.formatHex(receivedHash.digest()) + " " + received);
  }

  /**
   * Writes {@code count} bytes of the pseudo-random stream of {@code seed}, hashing them. Test code on our side uses
   * the same generator so both ends can be compared by hash alone.
   */
  public static void streamTo(OutputStream out, long count, long seed, MessageDigest hash) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[65536];
    long left = count;
    while (left > 0) {
      int n = (int) Math.min(chunk.length, left);
      fill(random, chunk, n);
      hash.update(chunk, 0, n);
      out.write(chunk, 0, n);
      left -= n;
    }
    out.flush();
  }

  /** Fills {@code b[0, n)} from the generator (8 bytes per draw). */
  public static void fill(SplittableRandom random, byte[] b, int n) {
    int i = 0;
    while (i < n) {
      long v = random.nextLong();
      for (int k = 0; k < 8 && i < n; k++, i++) {
        b[i] = (byte) (v >>> (k * 8));
      }
    }
  }

  /** SHA-256 of the first {@code count} bytes of the stream of {@code seed}, computed locally. */
  public static String expectedSha256(long count, long seed) {
    try {
      MessageDigest hash = MessageDigest.getInstance("SHA-256");
      streamTo(OutputStream.nullOutputStream(), count, seed, hash);
      return HexFormat.of().formatHex(hash.digest());
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

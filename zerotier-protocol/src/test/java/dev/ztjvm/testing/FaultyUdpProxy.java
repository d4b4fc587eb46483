package dev.ztjvm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay between one client and one server on loopback that damages traffic on purpose: drops, duplicates,
 * reorders, truncates, flips bits and injects random datagrams, each at a set rate, from a seeded {@link Random}.
 *
 * <p>It keeps exact counts of the damaged datagrams it delivered to each side, so tests can check that the receiver
 * accounted for every one of them. Damage is chosen so that a correct receiver must drop it at once: truncation never
 * yields the 13-byte beacon length, bit flips hit only the authenticated parts (packet ID, MAC, verb and payload),
 * random datagrams are either shorter than a fragment header or carry a destination nobody has.
 */
public final class FaultyUdpProxy implements AutoCloseable {

  /** Rates (0..1) of each kind of damage; evaluated per datagram in this order. */
  public record Faults(double drop, double duplicate, double reorder, double truncate, double flip, double inject) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0);
  }

  private final DatagramSocket clientSide;
  private final DatagramSocket serverSide;
  private final InetSocketAddress server;
  private volatile InetSocketAddress client;
  private volatile Faults faults = Faults.NONE;
  private final Random random;
  private final AtomicLong badToServer = new AtomicLong();
  private final AtomicLong badToClient = new AtomicLong();
  private final Thread up;
  private final Thread down;
  private volatile boolean closed;

  public FaultyUdpProxy(InetSocketAddress server, long seed) {
    try {
      this.clientSide = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      this.serverSide = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    this.server = server;
    this.random = new Random(seed);
    this.up = new Thread(() -> pump(clientSide, true), "faulty-proxy-up");
    this.down = new Thread(() -> pump(serverSide, false), "faulty-proxy-down");
    up.setDaemon(true);
    down.setDaemon(true);
    up.start();
    down.start();
  }

  /** The address clients send to (put it into the planet as the root's endpoint). */
  public int clientFacingPort() {
    return clientSide.getLocalPort();
  }

  public void setFaults(Faults f) {
    this.faults = f;
  }

  /** Damaged or injected datagrams delivered to the server so far. */
  public long badToServer() {
    return badToServer.get();
  }

  /** Damaged or injected datagrams delivered to the client so far. */
  public long badToClient() {
    return badToClient.get();
  }

  private void pump(DatagramSocket in, boolean towardServer) {
    byte[] buf = new byte[16384];
    byte[] held = null;
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        in.receive(p);
      } catch (IOException e) {
        return;
      }
      if (towardServer) {
        client = (InetSocketAddress) p.getSocketAddress();
      }
      InetSocketAddress to = towardServer ? server : client;
      if (to == null) {
        continue;
      }
      DatagramSocket out = towardServer ? serverSide : clientSide;
      AtomicLong bad = towardServer ? badToServer : badToClient;
      byte[] d = Arrays.copyOf(p.getData(), p.getLength());
      Faults f = faults;
      synchronized (random) {
        if (random.nextDouble() < f.inject()) {
          send(out, randomDatagram(), to);
          bad.incrementAndGet();
        }
        if (random.nextDouble() < f.drop()) {
          continue;
        }
        if (random.nextDouble() < f.truncate() && d.length > 2) {
          int n;
          do {
            n = 1 + random.nextInt(d.length - 1);
          } while (n == 13);
          send(out, Arrays.copyOf(d, n), to);
          bad.incrementAndGet();
          continue;
        }
        if (random.nextDouble() < f.flip() && d.length >= 28) {
          byte[] c = d.clone();
          int i;
          do {
            i = random.nextInt(c.length);
          } while (i >= 8 && i < 19);
          c[i] ^= (byte) (1 << random.nextInt(8));
          send(out, c, to);
          bad.incrementAndGet();
          continue;
        }
        if (random.nextDouble() < f.reorder() && held == null) {
          held = d;
          continue;
        }
        send(out, d, to);
        if (random.nextDouble() < f.duplicate()) {
          send(out, d, to);
        }
        if (held != null) {
          send(out, held, to);
          held = null;
        }
      }
    }
  }

  private byte[] randomDatagram() {
    if (random.nextBoolean()) {
      int[] lengths = {1, 5, 8, 12, 14, 15, 16};
      byte[] b = new byte[lengths[random.nextInt(lengths.length)]];
      random.nextBytes(b);
      return b;
    }
    byte[] b = new byte[28 + random.nextInt(1400)];
    random.nextBytes(b);
    b[8] = (byte) 0xee; // a destination address nobody in the test has
    b[13] = (byte) 0x42; // not a fragment
    return b;
  }

  private static void send(DatagramSocket s, byte[] d, InetSocketAddress to) {
    try {
      s.send(new DatagramPacket(d, d.length, to));
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() {
    closed = true;
    clientSide.close();
    serverSide.close();
  }
}

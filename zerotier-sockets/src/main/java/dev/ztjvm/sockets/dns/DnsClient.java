package dev.ztjvm.sockets.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves host names to IPv4 and IPv6 addresses by asking DNS servers over UDP (any {@link DatagramSocket}, e.g.
 * a ZeroTier one). Each server is tried in turn, each query {@code attempts} times with the given timeout.
 */
public final class DnsClient {

  /** Opens the socket queries are sent from. */
  @FunctionalInterface
  public interface SocketSupplier {
    DatagramSocket open() throws IOException;
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<InetSocketAddress> servers;
  private final SocketSupplier sockets;
  private final Duration timeout;
  private final int attempts;

  public DnsClient(List<InetSocketAddress> servers, SocketSupplier sockets, Duration timeout, int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
    this.servers = List.copyOf(servers);
    this.sockets = sockets;
    this.timeout = timeout;
    this.attempts = attempts;
  }

  /** A (IPv4) then AAAA (IPv6) addresses of {@code name}; a literal address is returned as is. */
  public List<InetAddress> resolve(String name) throws IOException {
    if (isLiteral(name)) {
      return List.of(InetAddress.getByName(name));
    }
    if (servers.isEmpty()) {
      throw new UnknownHostException(name + ": no DNS servers (the networks' controllers push none and none is "
          + "configured)");
    }
    List<InetAddress> out = new ArrayList<>();
    boolean answered = false;
    for (int type : new int[] {DnsMessage.TYPE_A, DnsMessage.TYPE_AAAA}) {
      DnsMessage.Answer a = ask(name, type);
      if (a != null) {
        answered = true;
        out.addAll(a.addresses());
      }
    }
    if (out.isEmpty()) {
      throw new UnknownHostException(name + (answered ? ": no A/AAAA records" : ": no DNS server answered "
          + servers));
    }
    return out;
  }

  private DnsMessage.@org.jspecify.annotations.Nullable Answer ask(String name, int type) throws IOException {
    try (DatagramSocket s = sockets.open()) {
      s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      byte[] buf = new byte[1500];
      for (InetSocketAddress server : servers) {
        for (int i = 0; i < attempts; i++) {
          int id = RANDOM.nextInt(0x10000);
          byte[] q = DnsMessage.query(id, name, type);
          s.send(new DatagramPacket(q, q.length, server));
          long deadline = System.nanoTime() + timeout.toNanos();
          while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
              s.receive(p);
            } catch (SocketTimeoutException e) {
              break;
            }
            if (!server.equals(p.getSocketAddress())) {
              continue;
            }
            DnsMessage.Answer a;
            try {
              a = DnsMessage.parse(p.getData(), p.getLength(), type);
            } catch (IllegalArgumentException e) {
              continue; // malformed: keep waiting for a good answer
            }
            if (a.id() != id) {
              continue;
            }
            return a;
          }
        }
      }
    }
    return null;
  }

  private static boolean isLiteral(String s) {
    return s.matches("[0-9.]+") && s.chars().filter(c -> c == '.').count() == 3 || s.contains(":");
  }
}

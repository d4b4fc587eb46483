package dev.ztjvm.netstack.udp;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.internal.Counters;
import dev.ztjvm.netstack.ip.InternetChecksum;
import dev.ztjvm.netstack.ip.IpAddressing;
import dev.ztjvm.netstack.ip.IpProtocolHandler;
import dev.ztjvm.netstack.ip.IpSender;
import java.util.ArrayList;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * UDP of one interface: port table, demultiplexing, checksums. Created by the interface
 * ({@link dev.ztjvm.netstack.NetworkInterface#udp()}); applications use {@link #open()} and the sockets.
 */
public final class UdpLayer implements IpProtocolHandler {

  public static final int PROTOCOL = 17;
  public static final int HEADER_LENGTH = 8;
  /** First port handed out for port 0 binds (IANA dynamic range). */
  public static final int EPHEMERAL_FIRST = 49152;

  /** {@link #deliver} result: queued on a socket (or dropped there because its queue was full). */
  public static final int DELIVERED = 0;
  /** {@link #deliver} result: malformed, dropped and counted. */
  public static final int MALFORMED = 1;
  /** {@link #deliver} result: nobody listens on that port; the caller may answer port unreachable. */
  public static final int NO_SOCKET = 2;

  private final IpSender sender;
  private final IpAddressing addressing;
  private final Counters counters;
  private final int socketQueueDatagrams;
  private final int socketQueueBytes;
  @SuppressWarnings("unchecked") private final @Nullable ArrayList<UdpSocket>[] byPort = new ArrayList[65536];
  private int nextEphemeral = EPHEMERAL_FIRST;
  private final byte[] scratch = new byte[65535];

  /**
   * @param socketQueueDatagrams receive-queue bound of each socket, in datagrams
   * @param socketQueueBytes receive-queue bound of each socket, in payload bytes
   */
  public UdpLayer(
      IpSender sender, IpAddressing addressing, Counters counters, int socketQueueDatagrams, int socketQueueBytes) {
    this.sender = sender;
    this.addressing = addressing;
    this.counters = counters;
    this.socketQueueDatagrams = socketQueueDatagrams;
    this.socketQueueBytes = socketQueueBytes;
  }

  @Override
  public int protocol() {
    return PROTOCOL;
  }

  /** A new unbound socket. */
  public UdpSocket open() {
    return new UdpSocket(this, socketQueueDatagrams, socketQueueBytes);
  }

  void bind(UdpSocket s, byte @Nullable [] address, int port) {
    if (address != null && !isMulticast(address) && !addressing.isLocalAddress(address)) {
      throw new IllegalArgumentException("cannot bind to an address the interface does not have");
    }
    if (port == 0) {
      port = allocateEphemeral(address);
      if (port == 0) {
        throw new IllegalStateException("no free ephemeral UDP port");
      }
    } else if (!isFree(port, address)) {
      throw new IllegalStateException("UDP port " + port + " is already bound");
    }
    ArrayList<UdpSocket> list = byPort[port];
    if (list == null) {
      list = new ArrayList<>(1);
      byPort[port] = list;
    }
    list.add(s);
    s.localAddress = address;
    s.localPort = port;
    s.bound = true;
  }

  void unbind(UdpSocket s) {
    if (!s.bound) {
      return;
    }
    ArrayList<UdpSocket> list = byPort[s.localPort];
    if (list != null) {
      list.remove(s);
      if (list.isEmpty()) {
        byPort[s.localPort] = null;
      }
    }
    s.bound = false;
  }

  private boolean isFree(int port, byte @Nullable [] address) {
    ArrayList<UdpSocket> list = byPort[port];
    if (list == null) {
      return true;
    }
    for (UdpSocket o : list) {
      if (address == null || o.localAddress == null || Arrays.equals(o.localAddress, address)) {
        return false;
      }
    }
    return true;
  }

  private int allocateEphemeral(byte @Nullable [] address) {
    int span = 65536 - EPHEMERAL_FIRST;
    for (int i = 0; i < span; i++) {
      int p = nextEphemeral;
      nextEphemeral = p == 65535 ? EPHEMERAL_FIRST : p + 1;
      if (isFree(p, address)) {
        return p;
      }
    }
    return 0;
  }

  boolean send(UdpSocket s, byte[] dst, int dstPort, byte[] data, int off, int len) {
    boolean v6 = dst.length == 16;
    int max = v6 ? 65535 - HEADER_LENGTH : 65535 - 20 - HEADER_LENGTH;
    if (len < 0 || len > max) {
      throw new IllegalArgumentException("UDP payload of " + len + " bytes exceeds " + max);
    }
    byte[] src = s.localAddress;
    if (src != null && src.length != dst.length) {
      throw new IllegalArgumentException("destination is of another family than the bound address");
    }
    if (!v6 && addressing.isBroadcast(dst) && !s.isBroadcast()) {
      throw new IllegalStateException("sending to a broadcast address needs setBroadcast(true)");
    }
    if (src == null || isMulticast(src)) {
      src = addressing.sourceAddressFor(dst);
      if (src == null) {
        counters.dropNoRoute();
        return false;
      }
    }
    int udpLen = HEADER_LENGTH + len;
    byte[] b = scratch;
    Bytes.put16(b, 0, s.localPort);
    Bytes.put16(b, 2, dstPort);
    Bytes.put16(b, 4, udpLen);
    b[6] = 0;
    b[7] = 0;
    System.arraycopy(data, off, b, HEADER_LENGTH, len);
    long sum = InternetChecksum.pseudoHeader(src, dst, PROTOCOL, udpLen);
    int c = InternetChecksum.finish(InternetChecksum.add(sum, b, 0, udpLen));
    Bytes.put16(b, 6, c == 0 ? 0xffff : c);
    counters.sent++;
    if (isMulticast(dst)) {
      return sender.sendMulticast(src, dst, PROTOCOL, s.multicastTtl(), s.multicastLoop(), b, 0, udpLen);
    }
    return sender.send(src, dst, PROTOCOL, b, 0, udpLen);
  }

  @Override
  public void receive(byte[] src, byte[] dst, byte[] buf, int off, int len, long nowNanos) {
    deliver(src, dst, buf, off, len, false);
  }

  /**
   * Checks and demultiplexes one datagram.
   *
   * @param groupDestination the IP destination was a broadcast or multicast address (no unreachable answer then)
   * @return {@link #DELIVERED}, {@link #MALFORMED} or {@link #NO_SOCKET}; counters are updated except that a
   *     {@link #NO_SOCKET} result is counted as dropped here (the caller decides about an ICMP answer)
   */
  public int deliver(byte[] src, byte[] dst, byte[] buf, int off, int len, boolean groupDestination) {
    counters.received++;
    if (len < HEADER_LENGTH) {
      counters.dropLength();
      return MALFORMED;
    }
    int udpLen = Bytes.u16(buf, off + 4);
    if (udpLen < HEADER_LENGTH || udpLen > len) {
      counters.dropLength();
      return MALFORMED;
    }
    int checksum = Bytes.u16(buf, off + 6);
    if (checksum == 0) {
      if (src.length == 16) {
        // RFC 8200 8.1: a zero UDP checksum is not allowed over IPv6.
        counters.dropChecksum();
        return MALFORMED;
      }
    } else {
      long sum = InternetChecksum.pseudoHeader(src, dst, PROTOCOL, udpLen);
      if (InternetChecksum.finish(InternetChecksum.add(sum, buf, off, udpLen)) != 0) {
        counters.dropChecksum();
        return MALFORMED;
      }
    }
    int srcPort = Bytes.u16(buf, off);
    int dstPort = Bytes.u16(buf, off + 2);
    if (isMulticast(dst)) {
      return deliverToGroup(src, srcPort, dst, dstPort, buf, off, udpLen);
    }
    UdpSocket s = lookup(src, srcPort, dst, dstPort);
    if (s == null) {
      counters.dropNotForUs();
      return NO_SOCKET;
    }
    byte[] data = Arrays.copyOfRange(buf, off + HEADER_LENGTH, off + udpLen);
    if (s.enqueue(new UdpDatagram(src.clone(), srcPort, dst.clone(), dstPort, data))) {
      counters.delivered++;
    } else {
      counters.dropOverflow();
    }
    return DELIVERED;
  }

  /**
   * A datagram to a multicast group goes to every socket bound to its port (on the wildcard address or on the group
   * address itself) that joined the group; sockets that did not join see nothing.
   */
  private int deliverToGroup(byte[] src, int srcPort, byte[] dst, int dstPort, byte[] buf, int off, int udpLen) {
    ArrayList<UdpSocket> list = byPort[dstPort];
    int matched = 0;
    if (list != null) {
      for (int i = 0, n = list.size(); i < n; i++) {
        UdpSocket s = list.get(i);
        byte[] la = s.localAddress;
        if ((la != null && !Arrays.equals(la, dst)) || !s.isMember(dst) || !s.acceptsFrom(src, srcPort)) {
          continue;
        }
        matched++;
        byte[] data = Arrays.copyOfRange(buf, off + HEADER_LENGTH, off + udpLen);
        if (s.enqueue(new UdpDatagram(src.clone(), srcPort, dst.clone(), dstPort, data))) {
          counters.delivered++;
        } else {
          counters.dropOverflow();
        }
      }
    }
    if (matched == 0) {
      counters.dropNotForUs();
      return NO_SOCKET;
    }
    return DELIVERED;
  }

  void joinGroup(byte[] group) {
    addressing.joinGroup(group);
  }

  void leaveGroup(byte[] group) {
    addressing.leaveGroup(group);
  }

  private @Nullable UdpSocket lookup(byte[] src, int srcPort, byte[] dst, int dstPort) {
    ArrayList<UdpSocket> list = byPort[dstPort];
    if (list == null) {
      return null;
    }
    UdpSocket best = null;
    int bestScore = -1;
    for (int i = 0, n = list.size(); i < n; i++) {
      UdpSocket s = list.get(i);
      byte[] la = s.localAddress;
      if (la != null && la.length != dst.length) {
        continue;
      }
      if (!s.acceptsFrom(src, srcPort)) {
        continue;
      }
      int score = (s.isConnected() ? 2 : 0) + (la != null && Arrays.equals(la, dst) ? 1 : 0);
      if (la != null && !Arrays.equals(la, dst) && !addressing.isBroadcast(dst) && !isMulticast(dst)) {
        continue;
      }
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return best;
  }

  static boolean isMulticast(byte[] a) {
    return a.length == 4 ? (a[0] & 0xf0) == 0xe0 : a[0] == (byte) 0xff;
  }

  @Override
  public void icmpError(
      IcmpErrorKind kind, byte[] src, byte[] dst, byte[] quoted, int off, int len, int mtu, long nowNanos) {
    if (len < 4) {
      return;
    }
    int localPort = Bytes.u16(quoted, off);
    int remotePort = Bytes.u16(quoted, off + 2);
    ArrayList<UdpSocket> list = byPort[localPort];
    if (list == null) {
      return;
    }
    for (UdpSocket s : list) {
      byte[] r = s.remoteAddress;
      if (r != null && s.remotePort == remotePort && Arrays.equals(r, dst) && s.matchesLocal(src)) {
        s.error(kind);
        return;
      }
    }
  }
}

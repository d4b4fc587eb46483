package dev.ztjvm.netstack;

import dev.ztjvm.netstack.icmp.Icmp;
import dev.ztjvm.netstack.internal.Counters;
import dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The echo requests one {@link NetworkInterface} sent ({@link NetworkInterface#ping}) and their outcome: a reply, an
 * ICMP error about the request, or the timeout. Keyed by family and sequence number. Confined to the loop.
 */
final class Pinger {

  private record Ping(CompletableFuture<Long> result, long sentAt, long deadline, byte[] destination) {}

  private final NetworkInterface iface;
  private final HashMap<Integer, Ping> pings = new HashMap<>();
  private int nextSequence;

  Pinger(NetworkInterface iface) {
    this.iface = iface;
  }

  /** See {@link NetworkInterface#ping}; the interface's time has been advanced already. */
  CompletableFuture<Long> ping(InetAddress destination, int payloadLength, long timeoutNanos) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    byte[] dst = destination.getAddress();
    boolean v6 = dst.length == 16;
    int max = (v6 ? 65535 : 65535 - 20) - 8;
    if (payloadLength < 0 || payloadLength > max) {
      throw new IllegalArgumentException("ping payload must be 0.." + max + " bytes: " + payloadLength);
    }
    byte[] src = iface.sourceAddressFor(dst);
    if (src == null) {
      f.completeExceptionally(new NoRouteToHostException("no " + (v6 ? "IPv6" : "IPv4") + " address"));
      return f;
    }
    int seq = nextSequence++ & 0xffff;
    int key = (v6 ? 0x10000 : 0) | seq;
    Ping old = pings.remove(key);
    if (old != null) {
      old.result.completeExceptionally(new TimeoutException("ping sequence number reused"));
    }
    byte[] m = new byte[8 + payloadLength];
    m[0] = (byte) (v6 ? Icmp.V6_ECHO_REQUEST : Icmp.V4_ECHO_REQUEST);
    Bytes.put16(m, 4, iface.config().pingIdentifier());
    Bytes.put16(m, 6, seq);
    for (int i = 0; i < payloadLength; i++) {
      m[8 + i] = (byte) i;
    }
    NetworkInterface.fillIcmpChecksum(v6, src, dst, m, 0, m.length);
    long now = iface.now();
    pings.put(key, new Ping(f, now, now + timeoutNanos, dst.clone()));
    if (v6) {
      iface.icmp6.sent++;
    } else {
      iface.icmp4.sent++;
    }
    if (!iface.send(src, dst, v6 ? NetworkInterface.ICMPV6_PROTOCOL : NetworkInterface.ICMP_PROTOCOL, m, 0,
        m.length)) {
      pings.remove(key);
      f.completeExceptionally(new NoRouteToHostException("no route to " + destination.getHostAddress()));
    }
    return f;
  }

  /** Fails the pings whose deadline has passed. */
  void expire() {
    if (pings.isEmpty()) {
      return;
    }
    long now = iface.now();
    Iterator<Ping> it = pings.values().iterator();
    while (it.hasNext()) {
      Ping p = it.next();
      if (now - p.deadline >= 0) {
        it.remove();
        p.result.completeExceptionally(new TimeoutException("no echo reply within the timeout"));
      }
    }
  }

  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (Ping p : pings.values()) {
      next = Math.min(next, p.deadline);
    }
    return next;
  }

  /** An echo reply from {@code src}: completes its ping, or is counted as not for us. */
  void echoReply(boolean v6, byte[] src, byte[] b, int off, int len, Counters c) {
    int id = Bytes.u16(b, off + 4);
    int seq = Bytes.u16(b, off + 6);
    int key = (v6 ? 0x10000 : 0) | seq;
    Ping p = pings.get(key);
    if (id != iface.config().pingIdentifier() || p == null || !Arrays.equals(p.destination, src)) {
      c.dropNotForUs();
      return;
    }
    pings.remove(key);
    c.delivered++;
    p.result.complete(iface.now() - p.sentAt);
  }

  /** One of our echo requests to {@code dst} (quoted at {@code off}) could not be delivered: fail that ping. */
  void requestFailed(boolean v6, IcmpErrorKind kind, byte[] dst, byte[] b, int off) {
    int seq = Bytes.u16(b, off + 6);
    int key = (v6 ? 0x10000 : 0) | seq;
    Ping p = pings.get(key);
    if (p != null && Bytes.u16(b, off + 4) == iface.config().pingIdentifier() && Arrays.equals(p.destination, dst)) {
      pings.remove(key);
      p.result.completeExceptionally(new java.io.IOException("destination unreachable: " + kind));
    }
  }
}

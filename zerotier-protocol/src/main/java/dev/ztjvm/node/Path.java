package dev.ztjvm.node;

import java.net.InetSocketAddress;

/**
 * A physical path to a peer: the local socket and the remote IP:port (spec 6.3). Confined to the node's loop.
 */
final class Path {

  /** Weight of a new latency sample in the moving average. */
  private static final double LATENCY_ALPHA = 0.3;

  final int socketId;
  final InetSocketAddress remote;
  final long createdMillis;
  long lastReceiveMillis;
  long lastSendMillis;
  long lastHelloMillis;
  /** Moving average of round trips measured on this path, −1 until measured. */
  double latencyMillis = -1;

  Path(int socketId, InetSocketAddress remote, long now) {
    this.socketId = socketId;
    this.remote = remote;
    this.createdMillis = now;
    this.lastReceiveMillis = now;
  }

  boolean is(int socket, InetSocketAddress address) {
    return socketId == socket && remote.equals(address);
  }

  boolean alive(long now) {
    return now - lastReceiveMillis < Timing.PATH_ALIVE;
  }

  boolean expired(long now) {
    return now - lastReceiveMillis >= Timing.PATH_EXPIRATION;
  }

  void latencySample(long rttMillis) {
    if (rttMillis < 0) {
      return;
    }
    latencyMillis = latencyMillis < 0 ? rttMillis : latencyMillis * (1 - LATENCY_ALPHA) + rttMillis * LATENCY_ALPHA;
  }

  /**
   * Lower is better: the measured latency (a path not yet measured counts as {@value #UNMEASURED_MILLIS} ms) plus a
   * quarter of the time since the path last delivered anything. The silence term makes a path that stopped answering
   * (a peer restarted on another port, a NAT mapping changed) lose to a fresh one within a few seconds, long before
   * it expires.
   */
  double quality(long now) {
    double l = latencyMillis < 0 ? UNMEASURED_MILLIS : latencyMillis;
    return l + Math.max(0, now - lastReceiveMillis) / 4.0;
  }

  static final double UNMEASURED_MILLIS = 1000;

  PathInfo info(long now) {
    // a path learned from an inbound packet may not have been sent on yet: report that, not "since the epoch"
    long sinceSend = lastSendMillis == 0 ? -1 : now - lastSendMillis;
    return new PathInfo(remote, socketId, now - lastReceiveMillis, sinceSend, latencyMillis, alive(now));
  }
}

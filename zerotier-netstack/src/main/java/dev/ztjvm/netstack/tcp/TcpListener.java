package dev.ztjvm.netstack.tcp;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A listening socket: SYNs to its port create half-open connections (bounded by
 * {@link TcpConfig#synBacklog()}); completed handshakes wait in the accept queue (bounded by the backlog). When
 * either bound is reached, further SYNs / final ACKs are dropped (and counted), so the peer retries.
 */
public final class TcpListener {

  /** Accept readiness. */
  @FunctionalInterface
  public interface Handler {
    /** At least one connection can be {@link TcpListener#accept() accepted}. */
    void onAcceptReady(TcpListener listener);
  }

  private final TcpStack stack;
  final byte @Nullable [] address;
  final int port;
  private final int backlog;
  private final Handler handler;
  private final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
  private final IdentityHashMap<TcpConnection, Boolean> children = new IdentityHashMap<>();
  private int halfOpen;
  private boolean open = true;
  boolean acceptReadyPending;

  TcpListener(TcpStack stack, byte @Nullable [] address, int port, int backlog, Handler handler) {
    this.stack = stack;
    this.address = address == null ? null : address.clone();
    this.port = port;
    this.backlog = backlog;
    this.handler = handler;
  }

  /** Local port. */
  public int port() {
    return port;
  }

  /** Bound address, or null for all local addresses. */
  public byte @Nullable [] address() {
    return address == null ? null : address.clone();
  }

  /** Takes the oldest established connection, or returns null if none is waiting. */
  public @Nullable TcpConnection accept() {
    TcpConnection c = acceptQueue.poll();
    if (c != null) {
      children.remove(c);
      c.requestOutput(); // deliver events that arrived before the application took it
    }
    return c;
  }

  /** Connections waiting in the accept queue. */
  public int pendingAccepts() {
    return acceptQueue.size();
  }

  /** Half-open connections (SYN received, handshake not complete). */
  public int halfOpenConnections() {
    return halfOpen;
  }

  public boolean isOpen() {
    return open;
  }

  /** Stops listening and resets connections that were never accepted. */
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    stack.removeListener(this);
    for (TcpConnection c : children.keySet().toArray(new TcpConnection[0])) {
      c.terminate(TcpError.ABORTED, true, stack.lastNow);
    }
    children.clear();
    acceptQueue.clear();
  }

  boolean matches(byte[] dst) {
    return address == null || Arrays.equals(address, dst);
  }

  boolean canAcceptSyn() {
    return open && halfOpen < stack.config.synBacklog() && acceptQueue.size() < backlog;
  }

  boolean canComplete() {
    return open && acceptQueue.size() < backlog;
  }

  void addHalfOpen(TcpConnection c) {
    halfOpen++;
    children.put(c, Boolean.TRUE);
  }

  void completed(TcpConnection c) {
    halfOpen--;
    acceptQueue.add(c);
    acceptReadyPending = true;
    stack.scheduleListener(this);
  }

  /** True once the application accepted {@code c} (its events may be delivered). */
  boolean handedOut(TcpConnection c) {
    return !children.containsKey(c);
  }

  void childGone(TcpConnection c) {
    if (children.remove(c) != null) {
      if (!acceptQueue.remove(c)) {
        halfOpen--;
      }
    }
  }

  void fireAcceptReady() {
    if (acceptReadyPending) {
      acceptReadyPending = false;
      if (open && !acceptQueue.isEmpty()) {
        handler.onAcceptReady(this);
      }
    }
  }
}

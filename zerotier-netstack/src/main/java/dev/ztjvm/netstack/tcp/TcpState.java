package dev.ztjvm.netstack.tcp;

/** Connection states of RFC 9293 (LISTEN is a {@link TcpListener}, not a connection state). */
public enum TcpState {
  SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT, CLOSED;

  /** True once the three-way handshake completed (data may flow). */
  public boolean isSynchronized() {
    return this != SYN_SENT && this != SYN_RECEIVED && this != CLOSED;
  }
}

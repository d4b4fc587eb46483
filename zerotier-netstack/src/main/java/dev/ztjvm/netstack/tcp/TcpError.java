package dev.ztjvm.netstack.tcp;

/** Why a connection ended abnormally (an orderly close reports no error). */
public enum TcpError {
  /** The peer answered our SYN with a RST (nobody listens). */
  CONNECTION_REFUSED,
  /** The peer reset an established connection. */
  CONNECTION_RESET,
  /** Retransmissions (or SYN retries) ran out without an acknowledgment. */
  TIMED_OUT,
  /** Keepalive probes went unanswered. */
  KEEPALIVE_TIMED_OUT,
  /** An ICMP error said the host or network is unreachable and the connection then timed out. */
  HOST_UNREACHABLE,
  /** This side aborted the connection ({@link TcpConnection#abort()} or a close with unread data). */
  ABORTED
}

/**
 * iperf3's TCP test protocol over any {@link java.net.Socket}/{@link java.net.ServerSocket} (the {@code iperf}
 * command runs it over ZeroTier sockets), compatible with the real {@code iperf3 -s} and {@code iperf3 -c}: a control
 * connection that starts with a 37-byte cookie and then carries one-byte states and length-prefixed JSON (parameters,
 * results), and one TCP connection per stream (also starting with the cookie) that carries the data, in either
 * direction ({@code -R}).
 */
@NullMarked
package dev.ztjvm.tools.iperf;

import org.jspecify.annotations.NullMarked;

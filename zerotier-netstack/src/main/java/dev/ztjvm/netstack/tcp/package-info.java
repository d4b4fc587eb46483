/**
 * TCP (RFC 9293) for the userspace stack: {@link dev.ztjvm.netstack.tcp.TcpStack} is bound into the IP layer as
 * protocol 6 and offers listen/connect; {@link dev.ztjvm.netstack.tcp.TcpConnection} is the byte stream with
 * readiness callbacks and backpressure.
 *
 * <p>Single-threaded and poll-driven: every method of a stack and its connections is called from one event loop;
 * time comes in as {@code nowNanos}. Features: simultaneous open/close, RFC 5961 challenge ACKs, RFC 6528 ISNs,
 * MSS, window scaling, timestamps with PAWS (RFC 7323), SACK with an RFC 6675 scoreboard, RFC 6298 RTO, NewReno
 * (RFC 5681/6582/3042) or CUBIC (RFC 9438) behind {@link dev.ztjvm.netstack.tcp.CongestionControl}, delayed ACKs,
 * Nagle, keepalive, zero-window probes, bounded out-of-order data, listen backlogs, half-close.
 */
@NullMarked
package dev.ztjvm.netstack.tcp;

import org.jspecify.annotations.NullMarked;

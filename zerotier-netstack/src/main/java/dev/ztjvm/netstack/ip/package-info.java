/**
 * The seam between the IP layers (IPv4, IPv6) and the transports above them (TCP, UDP, ICMP echo).
 *
 * <p>Addresses cross this seam as byte arrays of length 4 (IPv4) or 16 (IPv6). Arrays handed to a
 * {@link dev.ztjvm.netstack.ip.IpProtocolHandler} are only valid during the call (the IP layer reuses them);
 * a handler that keeps an address copies it.
 */
@NullMarked
package dev.ztjvm.netstack.ip;

import org.jspecify.annotations.NullMarked;

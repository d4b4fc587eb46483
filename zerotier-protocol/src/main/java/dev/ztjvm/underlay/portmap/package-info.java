/**
 * Port mapping on the home gateway: PCP (RFC 6887) MAP requests with a fall-back to NAT-PMP (RFC 6886), so a node
 * behind a NAT can advertise a mapped external UDP address to its peers. Written from the RFCs.
 */
@NullMarked
package dev.ztjvm.underlay.portmap;

import org.jspecify.annotations.NullMarked;

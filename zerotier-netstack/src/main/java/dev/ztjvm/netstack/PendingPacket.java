package dev.ztjvm.netstack;

/** A datagram held until its next hop is resolved, or until the next poll (loopback). Owns its arrays. */
record PendingPacket(byte[] src, byte[] dst, int protocol, byte[] payload, int hopLimit) {}

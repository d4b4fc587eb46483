package dev.ztjvm.node;

import java.net.InetSocketAddress;

/**
 * A snapshot of one physical path to a peer.
 *
 * @param remote the peer's physical address
 * @param localSocket id of the local UDP socket the path uses
 * @param sinceReceiveMillis time since something arrived on this path
 * @param sinceSendMillis time since something was sent on this path, −1 if nothing was sent on it yet
 * @param latencyMillis smoothed round-trip time measured on this path, −1 if not measured yet
 * @param alive whether something arrived recently enough for the path to count as alive
 */
public record PathInfo(
    InetSocketAddress remote,
    int localSocket,
    long sinceReceiveMillis,
    long sinceSendMillis,
    double latencyMillis,
    boolean alive) {}

/**
 * Internals of the socket SDK: the {@code SocketImpl}/{@code DatagramSocketImpl} implementations behind the public
 * socket classes and the node's runtime pieces. Never used from another module (the architecture tests check it).
 */
@NullMarked
package dev.ztjvm.sockets.internal;

import org.jspecify.annotations.NullMarked;

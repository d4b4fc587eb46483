/**
 * Internals of the socket SDK: {@link dev.ztjvm.sockets.internal.NetstackHost} (runs network interfaces on an event
 * loop) and the {@code SocketImpl}/{@code DatagramSocketImpl} implementations behind the public socket classes.
 */
@NullMarked
package dev.ztjvm.sockets.internal;

import org.jspecify.annotations.NullMarked;

/**
 * libzt's examples redone with {@link dev.ztjvm.sockets.ZeroTierNode}: pingable node, TCP client/server, UDP,
 * non-blocking client/server. Each is a small static method; {@code zerotier-tools examples ...} runs them.
 */
@NullMarked
package dev.ztjvm.tools.examples;

import org.jspecify.annotations.NullMarked;

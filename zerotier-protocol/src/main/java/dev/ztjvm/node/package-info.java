/**
 * The VL1 node runtime: peers, paths, HELLO/keepalive timing, WHOIS, relaying and direct-path discovery, the root
 * role, and the hooks VL2 plugs into. One {@link dev.ztjvm.node.Vl1Node} runs on one {@link
 * dev.ztjvm.runtime.EventLoop}; all its state is confined to that loop's thread.
 */
@NullMarked
package dev.ztjvm.node;

import org.jspecify.annotations.NullMarked;

/**
 * Netty 4.2 transport over the userspace ZeroTier stack, and the Reactor Netty glue that lets
 * {@code HttpServer}/{@code HttpClient} (and so WebFlux) serve and call over ZeroTier.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link dev.ztjvm.netty.ZeroTierLoopResources}: {@code HttpServer.create().runOn(resources)} and
 *       {@code HttpClient.create().runOn(resources)}; {@code onChannel} hands out the channels below.</li>
 *   <li>{@link dev.ztjvm.netty.ZeroTierSocketChannel} / {@link dev.ztjvm.netty.ZeroTierServerSocketChannel}: plain
 *       Netty, e.g. {@code new Bootstrap().channelFactory(() -> new ZeroTierSocketChannel(host))}.</li>
 *   <li>{@link dev.ztjvm.netty.ZeroTierAddressResolverGroup}: name resolution for {@code HttpClient.resolver(...)}.</li>
 * </ul>
 *
 * <h2>Threading: why the channels live on ordinary Netty loops</h2>
 * The TCP state machines run on the stack's own {@link dev.ztjvm.runtime.EventLoop} (one thread for every
 * connection of the node, see {@code dev.ztjvm.sockets.nio}). A channel here is registered on any Netty
 * {@link io.netty.channel.EventLoop} (Reactor Netty's NIO loops, a {@code MultiThreadIoEventLoopGroup}, a
 * {@code DefaultEventLoopGroup}) and talks to its {@link dev.ztjvm.sockets.nio.TcpChannel} by message passing:
 * demand ({@code read()}), write chunks and close go to the stack loop; readiness, received bytes, accepted
 * connections, write progress and close go back to the channel's loop. There is no thread per connection: the thread
 * count is the stack loop plus the fixed Netty group, whatever the number of connections.
 * <p>
 * We chose this over running handlers on the stack thread (or making the stack loop a Netty {@code IoHandler}) so
 * that HTTP codecs, TLS and application code never stall packet processing of the whole node, and so that Reactor
 * Netty's loops, connection pools and colocation work unchanged. The cost is thread hops: two per read batch (demand
 * to the stack, data back) and one per write chunk (a second only when the stack was still busy with the previous
 * chunk); reads and writes are batched (up to 64 KiB / 256 KiB) to amortise them.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Reads are demand-driven: one {@code read()} (or auto-read) delivers at most one batch; with
 *       {@code AUTO_READ=false} and no {@code read()} the stack stops reading and the TCP receive window closes.</li>
 *   <li>Writes complete once the bytes are copied for the stack (as a kernel socket's write completes once the kernel
 *       holds them): at most one copied chunk (up to 256 KiB) waits to enter the stack's send buffer; while it waits,
 *       later writes stay in Netty's outbound buffer, so writability and its water marks follow the TCP send buffer.
 *       Closing after a completed write still sends its bytes before the FIN.</li>
 *   <li>Half-close: with {@code ALLOW_HALF_CLOSURE} the end of input fires {@code ChannelInputShutdownEvent} instead of
 *       closing; {@code shutdownOutput()} sends FIN after the data already handed to the stack.</li>
 *   <li>Messages are {@code ByteBuf}s and {@code FileRegion}s (so Reactor Netty's {@code sendFile} works); a region
 *       is read on the channel's loop in write-chunk pieces, there being no kernel socket to transfer into.</li>
 *   <li>Errors (reset, refused, unreachable) arrive as {@code exceptionCaught} followed by close; connect failures
 *       fail the connect promise ({@link io.netty.channel.ConnectTimeoutException} for the connect timeout).</li>
 * </ul>
 */
@NullMarked
package dev.ztjvm.netty;

import org.jspecify.annotations.NullMarked;

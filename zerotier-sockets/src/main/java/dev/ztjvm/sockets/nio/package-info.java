/**
 * Non-blocking TCP over the userspace stack, for frameworks (Netty) that run their channels on the stack's own
 * event loop: no thread per connection.
 *
 * <h2>Threading contract</h2>
 * <ul>
 *   <li>Every method of {@link dev.ztjvm.sockets.nio.TcpChannel} and {@link dev.ztjvm.sockets.nio.TcpServerChannel},
 *       including the static {@code connect}/{@code listen}, must be called on the host's loop thread
 *       ({@code host.loop()}; from elsewhere post with {@code host.loop().execute(...)}). They throw
 *       {@link java.lang.IllegalStateException} otherwise. Apart from {@code connect}/{@code listen} (which may
 *       throw {@link java.io.IOException}) they never block and never throw for network errors: failures arrive as
 *       {@code onClosed(channel, cause)}.</li>
 *   <li>Every handler callback runs on that loop thread, never re-entrantly from inside a call the application made
 *       (callbacks are delivered from stack processing or posted tasks), so a handler may call any channel method.
 *       Handlers must not block: the loop runs every connection of the host.</li>
 *   <li>Readiness is edge-triggered: {@code onReadable} fires when data (or the end of stream) arrives while read
 *       interest is on, or when interest is switched on with data already buffered. Read until {@code read} returns
 *       0 (or -1), or switch interest off; with interest off nothing is read, the receive window fills and the
 *       peer is throttled (demand-driven reading, Netty's AUTO_READ=false).</li>
 *   <li>{@code write} takes what fits in the send buffer and returns the count; if it took less than offered,
 *       {@code onWritable} fires once space frees.</li>
 * </ul>
 */
@NullMarked
package dev.ztjvm.sockets.nio;

import org.jspecify.annotations.NullMarked;

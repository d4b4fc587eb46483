package dev.ztjvm.netty;

import dev.ztjvm.sockets.NetstackHost;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * What the ZeroTier channels share, as Netty's {@code AbstractEpollChannel} is shared by its stream and server
 * channels: the stack they live on, their open/active/closed state, their local address, registration on any Netty
 * loop, and the hand-over of work between the two threads involved - the stack's loop (which owns the TCP state) and
 * the channel's Netty loop (which owns the pipeline).
 *
 * <p>Hand-over: {@link #toStack} posts to the stack loop; {@link #toLoop} posts to the Netty loop, queueing what the
 * stack sends before the channel is registered (an accepted channel hears from the stack before Netty registers it)
 * and submitting the queue first on registration, so events keep their order.
 */
public abstract class AbstractZeroTierChannel extends AbstractChannel {

  static final int STATE_OPEN = 0;
  static final int STATE_ACTIVE = 1;
  static final int STATE_CLOSED = 2;

  final NetstackHost host;
  /** Read from any thread; written on the Netty loop, or on the stack loop before registration. */
  volatile int state = STATE_OPEN;
  volatile @Nullable InetSocketAddress localAddress;

  private final Object handOverLock = new Object();
  private volatile boolean loopReady; // once true, stays true: events go straight to the loop without the lock
  private @Nullable List<Runnable> beforeRegistration;

  AbstractZeroTierChannel(@Nullable Channel parent, NetstackHost host) {
    super(parent);
    this.host = host;
  }

  /** The stack this channel lives on. */
  public NetstackHost host() {
    return host;
  }

  @Override
  public boolean isOpen() {
    return state != STATE_CLOSED;
  }

  @Override
  public boolean isActive() {
    return state == STATE_ACTIVE;
  }

  @Override
  public @Nullable InetSocketAddress localAddress() {
    return (InetSocketAddress) super.localAddress();
  }

  @Override
  protected @Nullable SocketAddress localAddress0() {
    return localAddress;
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    // No IoHandle is registered: any single-threaded Netty loop can run the channel.
    return true;
  }

  @Override
  protected void doRegister(ChannelPromise promise) {
    EventLoop loop = eventLoop();
    synchronized (handOverLock) {
      // Submit what the stack sent before registration first, then open the fast path: events stay in order.
      List<Runnable> queued = beforeRegistration;
      beforeRegistration = null;
      if (queued != null) {
        for (Runnable r : queued) {
          loop.execute(r);
        }
      }
      loopReady = true;
    }
    promise.setSuccess();
  }

  /** Posts {@code task} to the stack loop; when the stack is closed, {@link #stackGone()} runs on the Netty loop. */
  final void toStack(Runnable task) {
    if (!host.post(task)) {
      toLoop(this::stackGone);
    }
  }

  /**
   * Runs {@code task} on the channel's Netty loop (after registration; queued until then). When the loop was shut
   * down under the channel, {@link #loopGone()} runs instead.
   */
  final void toLoop(Runnable task) {
    if (!tryToLoop(task)) {
      loopGone();
    }
  }

  /** {@link #toLoop} that reports a shut-down Netty loop by returning false instead of calling {@link #loopGone()}. */
  final boolean tryToLoop(Runnable task) {
    if (!loopReady) {
      synchronized (handOverLock) {
        if (!loopReady) {
          List<Runnable> q = beforeRegistration;
          if (q == null) {
            q = new ArrayList<>(2);
            beforeRegistration = q;
          }
          q.add(task);
          return true;
        }
      }
    }
    try {
      eventLoop().execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Netty loop: the stack was closed under the channel. */
  abstract void stackGone();

  /**
   * The channel's Netty loop was shut down under it (e.g. the loops disposed before the node): no event can reach
   * the channel any more, so what it holds in the stack is released. Runs on the calling (stack) thread.
   */
  abstract void loopGone();
}

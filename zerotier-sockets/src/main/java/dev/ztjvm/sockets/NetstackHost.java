package dev.ztjvm.sockets;

import dev.ztjvm.netstack.AssignedAddress;
import dev.ztjvm.netstack.FrameSink;
import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.Route;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.runtime.LoopCallException;
import dev.ztjvm.sockets.internal.RemoteNodeResolver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs one or more {@link NetworkInterface}s of the userspace stack on an {@link EventLoop} in real time, and is how
 * sockets reach the stack.
 *
 * <p>Threading: all stack state (interfaces, TCP, UDP) belongs to the loop thread; nothing here takes a lock on the
 * data path. Methods marked "loop only" must be called on {@link #loop()}'s thread; the others are thread-safe.
 * Frames come in from any thread through {@link #receiveFrame} (posted to the loop); the host polls the interfaces
 * at their {@link NetworkInterface#nextDeadline() next deadline} and, through {@link #wakeup()}, soon after code on
 * the loop used the stack (so queued segments leave). Blocking socket calls post to the loop with {@link #call} and
 * wait on their own socket's condition; the loop never blocks.
 */
public final class NetstackHost implements AutoCloseable {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final EventLoop loop;
  private final boolean ownsLoop;
  /** Written on the loop only; the copy-on-write list lets other threads take snapshots. */
  private final CopyOnWriteArrayList<NetworkInterface> interfaces = new CopyOnWriteArrayList<>();
  private final ArrayList<Consumer<NetworkInterface>> interfaceAddedHooks = new ArrayList<>();
  private final Runnable pollTask = this::pollNow;
  private volatile RemoteNodeResolver remoteNodeResolver = RemoteNodeResolver.NONE;
  private volatile boolean closed;
  private boolean pollPending;
  private EventLoop.@Nullable Timer timer;
  private long timerDeadline = Long.MAX_VALUE;

  /** A host on an existing loop (the node's loop); the loop is not closed with the host. */
  public NetstackHost(EventLoop loop) {
    this(loop, false);
  }

  private NetstackHost(EventLoop loop, boolean ownsLoop) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.ownsLoop = ownsLoop;
  }

  /** A host with its own started loop thread named {@code name}, closed with the host. */
  public static NetstackHost withOwnLoop(String name) {
    return new NetstackHost(new EventLoop(name).start(), true);
  }

  /** The loop that owns the stack: non-blocking channels and their callbacks live on it. */
  public EventLoop loop() {
    return loop;
  }

  // ------------------------------------------------------------------------------------------------ interfaces

  /**
   * Creates an interface with TCP enabled and adds it (thread-safe; waits for the loop when called elsewhere).
   * Outgoing frames go to {@code sink} on the loop thread.
   */
  public NetworkInterface addInterface(InterfaceConfig config, FrameSink sink, TcpConfig tcpConfig)
      throws IOException {
    return call(() -> {
      NetworkInterface nif = new NetworkInterface(config, sink);
      nif.enableTcp(tcpConfig);
      attach(nif);
      return nif;
    });
  }

  /** Adds an interface built elsewhere; TCP is enabled with defaults if it is not yet (thread-safe). */
  public void addInterface(NetworkInterface nif) throws IOException {
    call(() -> {
      if (nif.tcp() == null) {
        nif.enableTcp(TcpConfig.defaults());
      }
      attach(nif);
      return null;
    });
  }

  private void attach(NetworkInterface nif) {
    if (interfaces.contains(nif)) {
      return;
    }
    interfaces.add(nif);
    for (Consumer<NetworkInterface> hook : List.copyOf(interfaceAddedHooks)) {
      hook.accept(nif);
    }
    wakeup();
  }

  /** Removes an interface (thread-safe). Its connections stay in its stack but receive no more frames. */
  public void removeInterface(NetworkInterface nif) throws IOException {
    call(() -> interfaces.remove(nif));
  }

  /** A snapshot of the interfaces (thread-safe). */
  public List<NetworkInterface> interfaces() {
    return List.copyOf(interfaces);
  }

  /** Registers code run (on the loop) for every interface added later; wildcard listeners use it. Loop only. */
  public Runnable onInterfaceAdded(Consumer<NetworkInterface> hook) {
    interfaceAddedHooks.add(hook);
    return () -> interfaceAddedHooks.remove(hook);
  }

  /**
   * The interface that reaches {@code destination}: the one owning it, else the longest on-link prefix, else the
   * longest matching route; {@code null} if none. IPv6 link-local destinations go to the first interface with a
   * link-local address. Loop only.
   */
  public @Nullable NetworkInterface interfaceFor(InetAddress destination) {
    byte[] d = destination.getAddress();
    NetworkInterface own = interfaceWithAddress(destination);
    if (own != null) {
      return own;
    }
    NetworkInterface best = null;
    int bestLen = -1;
    for (NetworkInterface nif : interfaces) {
      for (AssignedAddress a : nif.addresses()) {
        byte[] x = a.address().getAddress();
        if (x.length == d.length && a.prefixLength() > bestLen && samePrefix(x, d, a.prefixLength())) {
          best = nif;
          bestLen = a.prefixLength();
        }
      }
    }
    if (best != null) {
      return best;
    }
    if (d.length == 4 && (d[0] & 0xff) == 255 && (d[1] & 0xff) == 255 && (d[2] & 0xff) == 255
        && (d[3] & 0xff) == 255) {
      for (NetworkInterface nif : interfaces) {
        for (AssignedAddress a : nif.addresses()) {
          if (a.address().getAddress().length == 4) {
            return nif;
          }
        }
      }
    }
    for (NetworkInterface nif : interfaces) {
      for (Route r : nif.routes()) {
        byte[] net = r.network().getAddress();
        if (net.length == d.length && r.prefixLength() > bestLen && samePrefix(net, d, r.prefixLength())) {
          best = nif;
          bestLen = r.prefixLength();
        }
      }
    }
    return best;
  }

  /** The interface that has {@code local} assigned, or {@code null}. Loop only. */
  public @Nullable NetworkInterface interfaceWithAddress(InetAddress local) {
    byte[] a = local.getAddress();
    for (NetworkInterface nif : interfaces) {
      if (nif.isLocalAddress(a)) {
        return nif;
      }
    }
    return null;
  }

  static boolean samePrefix(byte[] a, byte[] b, int prefixLength) {
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (b[full] & mask);
  }

  // ------------------------------------------------------------------------------------------------ frames and time

  /**
   * Hands a received Ethernet frame to {@code nif}. Thread-safe: on the loop it is processed at once (the array
   * may be reused when this returns), elsewhere it is copied and posted.
   */
  public void receiveFrame(NetworkInterface nif, byte[] frame, int off, int len) {
    if (loop.inLoop()) {
      nif.receiveFrame(frame, off, len, loop.nanoTime());
      wakeup();
      return;
    }
    byte[] copy = java.util.Arrays.copyOfRange(frame, off, off + len);
    try {
      loop.execute(() -> {
        nif.receiveFrame(copy, 0, copy.length, loop.nanoTime());
        wakeup();
      });
    } catch (RejectedExecutionException e) {
      // the host is closing: the frame is lost, like on a downed link
    }
  }

  /**
   * Asks for a poll of every interface soon (coalesced): call on the loop after using the stack so queued output
   * leaves and timers are re-armed. Thread-safe.
   */
  public void wakeup() {
    if (loop.inLoop()) {
      if (!pollPending) {
        pollPending = true;
        try {
          loop.execute(pollTask);
        } catch (RejectedExecutionException e) {
          // the loop is closing: nothing more to poll
        }
      }
    } else {
      try {
        loop.execute(this::wakeup);
      } catch (RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void pollNow() {
    pollPending = false;
    long now = loop.nanoTime();
    long next = Long.MAX_VALUE;
    for (NetworkInterface nif : interfaces) {
      long d = nif.poll(now);
      if (d < next) {
        next = d;
      }
    }
    if (next - now <= 0) {
      // more work is already due (e.g. loopback traffic produced by this poll)
      wakeup();
      return;
    }
    armTimer(next, now);
  }

  private void armTimer(long deadline, long now) {
    if (deadline == Long.MAX_VALUE) {
      return;
    }
    EventLoop.Timer t = timer;
    if (t != null && !t.fired() && timerDeadline - deadline <= 0) {
      return; // an earlier (or equal) wake-up is already armed; it re-arms after polling
    }
    if (t != null && !t.fired()) {
      t.cancel();
    }
    timerDeadline = deadline;
    timer = loop.schedule(deadline - now, () -> {
      timer = null;
      timerDeadline = Long.MAX_VALUE;
      pollNow();
    });
  }

  // ------------------------------------------------------------------------------------------------ blocking access

  /**
   * Runs {@code task} on the loop and returns its result: how blocking callers reach the stack. An
   * {@link IOException} thrown by the task is rethrown as is; other failures become {@link SocketException}s.
   */
  public <T> T call(Callable<T> task) throws IOException {
    if (closed) {
      throw new SocketException("Network stack host is closed");
    }
    try {
      return loop.await(task, CALL_TIMEOUT);
    } catch (LoopCallException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.interrupted()) {
        throw new InterruptedIOException("interrupted while waiting for the network stack");
      }
      throw new SocketException("Network stack: " + e.getMessage());
    }
  }

  /** Posts {@code task} to the loop; false if the loop is closed. Thread-safe. */
  public boolean post(Runnable task) {
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------------------------------------ node identity

  /** Installs the resolver behind "which ZeroTier node is on the other end" (the node layer does). */
  public void setRemoteNodeResolver(RemoteNodeResolver resolver) {
    this.remoteNodeResolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * The 40-bit ZeroTier address of the node owning {@code remote} as seen through {@code nif}, or -1 if unknown.
   * Loop only.
   */
  public long remoteNode(NetworkInterface nif, InetAddress remote) {
    MacAddress mac = nif.neighbor(remote);
    return remoteNodeResolver.resolve(nif, remote, mac);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Stops using the loop; closes it when the host created it. */
  @Override
  public void close() {
    closed = true;
    if (ownsLoop) {
      loop.close();
    }
  }
}

package dev.ztjvm.spring.boot.web.servlet;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Serves a container that listens on loopback over the node's ZeroTier address: a listener on the ZeroTier address
 * accepts each connection, opens a loopback connection to the container and copies bytes both ways until both sides
 * have closed. Byte-level, so HTTP/1.1 keep-alive, chunked bodies, WebSocket upgrades and TLS all pass unchanged.
 *
 * <p>Before connecting to the container the bridge binds the loopback socket and records its local port with the
 * caller ({@link #caller(int)}), so the container side can tell who is on the other end
 * ({@link ZeroTierCallerFilter}); the record is removed when the connection ends.
 *
 * <p>The listener binds as soon as the network has an address — at start if it has one, else when the node reports
 * it (first start of a node that is not yet authorized needs no restart) — and follows address changes. Lifecycle:
 * it starts right after the web server ({@link #PHASE}, above the graceful shutdown phase) and stops accepting just
 * before graceful shutdown begins, so requests in flight complete through their connections; {@link #drain} (after
 * the web server has stopped and closed its connections) waits for the remaining connections to finish.
 */
public final class ZeroTierLoopbackBridge implements SmartLifecycle, AutoCloseable {

  /** Starts after the web server, stops (stops accepting) before its graceful shutdown. */
  public static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;

  /** Between the web server's stop and the node's: waits for spliced connections to end. */
  public static final int DRAIN_PHASE = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;

  /** 127.0.0.1: where the container listens in replace mode, whatever the JVM's address-family preference. */
  public static final InetAddress LOOPBACK = loopback();

  private static final Log log = LogFactory.getLog(ZeroTierLoopbackBridge.class);
  private static final int BUFFER = 16 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final ZeroTierNode node;
  private final long networkId;
  private final IntSupplier zeroTierPort;
  private final Supplier<@Nullable InetSocketAddress> target;
  private final Map<Integer, ZeroTierCaller> callers = new ConcurrentHashMap<>();
  private final Set<Splice> splices = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers;
  private final ExecutorService binder;
  private final ZeroTierEventListener listener = this::onEvent;
  private volatile boolean running;
  private volatile @Nullable InetSocketAddress container;
  private @Nullable ServerSocket acceptor;
  private @Nullable InetSocketAddress bound;
  private @Nullable String lastBindProblem;

  /**
   * @param node the node whose ZeroTier address is served
   * @param networkId the network whose address the listener binds
   * @param zeroTierPort the TCP port on the ZeroTier address, asked when binding
   * @param target the container's loopback address, asked at start; null when there is no web server (nothing to
   *     serve, e.g. a mock web environment)
   */
  public ZeroTierLoopbackBridge(ZeroTierNode node, long networkId, IntSupplier zeroTierPort,
      Supplier<@Nullable InetSocketAddress> target) {
    this.node = node;
    this.networkId = networkId;
    this.zeroTierPort = zeroTierPort;
    this.target = target;
    this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        threads("zerotier-bridge-"));
    this.binder = Executors.newSingleThreadExecutor(threads("zerotier-bridge-bind-"));
  }

  @Override
  public void start() {
    if (running) {
      return;
    }
    InetSocketAddress to = target.get();
    if (to == null) {
      log.debug("No web server to serve over ZeroTier (no embedded server in this context)");
      return;
    }
    container = to;
    running = true;
    node.addListener(listener);
    reconcile();
  }

  /** Stops accepting ZeroTier connections; connections already spliced continue until {@link #drain}. */
  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    node.removeListener(listener);
    synchronized (this) {
      closeAcceptor();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** Whether the bridge fronts a container (started with a web server); requests then come through it. */
  public boolean isServing() {
    return container != null;
  }

  /** The bound ZeroTier address and port, or null while the network has no address or when stopped. */
  public synchronized @Nullable InetSocketAddress address() {
    return bound;
  }

  /** The container's loopback address (where connections are spliced to), or null when not serving. */
  public @Nullable InetSocketAddress container() {
    return container;
  }

  /** The ZeroTier caller of the loopback connection from local port {@code loopbackPort}, or null if not bridged. */
  public @Nullable ZeroTierCaller caller(int loopbackPort) {
    return callers.get(loopbackPort);
  }

  /** How many ZeroTier connections are currently spliced. */
  public int openConnections() {
    return splices.size();
  }

  /**
   * Waits up to {@code timeout} for the spliced connections to end (the container closes them when it stops), then
   * closes what is left and releases the threads.
   */
  public void drain(Duration timeout) {
    stop();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!splices.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!splices.isEmpty()) {
      log.warn(splices.size() + " ZeroTier connection(s) still open after " + timeout + "; closing them");
      splices.forEach(Splice::abort);
    }
    container = null;
  }

  /** Stops and releases the bridge's threads (the application context is closing). */
  @Override
  public void close() {
    drain(Duration.ZERO);
    binder.shutdownNow();
    workers.shutdownNow();
  }

  private void onEvent(ZeroTierEvent event) {
    boolean ours;
    if (event instanceof ZeroTierEvent.AddressAdded a) {
      ours = a.networkId() == networkId;
    } else if (event instanceof ZeroTierEvent.AddressRemoved a) {
      ours = a.networkId() == networkId;
    } else if (event instanceof ZeroTierEvent.NetworkOk n) {
      ours = n.network().networkId() == networkId;
    } else if (event instanceof ZeroTierEvent.NetworkDown n) {
      ours = n.networkId() == networkId;
    } else {
      ours = event instanceof ZeroTierEvent.NodeUp;
    }
    if (ours && running) {
      // Not on the node's event thread: binding calls into the stack.
      try {
        binder.execute(this::reconcile);
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // drained
      }
    }
  }

  /** Binds the listener to the network's current address, or moves it when the address changed. */
  private synchronized void reconcile() {
    if (!running) {
      return;
    }
    InetAddress wanted = currentAddress();
    if (bound != null && bound.getAddress().equals(wanted)) {
      return;
    }
    closeAcceptor();
    if (wanted == null) {
      return;
    }
    int port = zeroTierPort.getAsInt();
    try {
      ServerSocket socket = node.serverSocketFactory().createServerSocket(port, 128, wanted);
      acceptor = socket;
      bound = new InetSocketAddress(wanted, socket.getLocalPort());
      lastBindProblem = null;
      Thread accept = threads("zerotier-bridge-accept-").newThread(() -> accept(socket));
      accept.start();
      String host = wanted.getHostAddress();
      log.info("ZeroTier: serving http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
          + socket.getLocalPort() + " on network " + String.format("%016x", networkId) + " (node "
          + node.nodeIdString() + ")");
    } catch (IOException | RuntimeException e) {
      String problem = "cannot listen on ZeroTier " + wanted.getHostAddress() + ":" + port + ": " + e.getMessage();
      if (!problem.equals(lastBindProblem)) {
        log.warn(problem);
      }
      lastBindProblem = problem;
    }
  }

  private @Nullable InetAddress currentAddress() {
    try {
      NetworkDetails network = node.network(networkId);
      if (network == null || network.addresses().isEmpty()) {
        return null;
      }
      return network.ipv4().orElseGet(() -> network.addresses().get(0).address());
    } catch (IllegalStateException notRunning) {
      return null;
    }
  }

  private void closeAcceptor() {
    ServerSocket socket = acceptor;
    acceptor = null;
    bound = null;
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        log.debug("closing the ZeroTier listener", e);
      }
    }
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket accepted;
      try {
        accepted = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.warn("ZeroTier listener failed: " + e.getMessage());
          synchronized (this) {
            if (acceptor == socket) {
              closeAcceptor();
            }
          }
        }
        return;
      }
      try {
        workers.execute(() -> open(accepted));
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        closeQuietly(accepted);
      }
    }
  }

  /** Connects a new loopback connection for {@code zeroTier} and copies both ways (this thread: caller → container). */
  private void open(Socket zeroTier) {
    InetSocketAddress to = container;
    Socket loopback = new Socket();
    Splice splice = new Splice(zeroTier, loopback);
    splices.add(splice);
    try {
      zeroTier.setTcpNoDelay(true);
      loopback.setTcpNoDelay(true);
      if (to == null) {
        throw new SocketException("the bridge is stopping");
      }
      loopback.bind(new InetSocketAddress(to.getAddress().isAnyLocalAddress()
          ? LOOPBACK : loopbackFor(to.getAddress()), 0));
      splice.port = loopback.getLocalPort();
      OptionalLong remoteNode = zeroTier instanceof ZeroTierSocket zt ? zt.remoteNode() : OptionalLong.empty();
      callers.put(splice.port,
          new ZeroTierCaller((InetSocketAddress) zeroTier.getRemoteSocketAddress(), remoteNode, networkId));
      loopback.connect(to.getAddress().isAnyLocalAddress()
          ? new InetSocketAddress(LOOPBACK, to.getPort()) : to, CONNECT_TIMEOUT_MILLIS);
      workers.execute(() -> splice.copy(loopback, zeroTier));
    } catch (IOException | RuntimeException e) {
      log.debug("cannot splice a ZeroTier connection to " + to + ": " + e.getMessage());
      splice.abort();
      return;
    }
    splice.copy(zeroTier, loopback);
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** The local address to connect from: loopback for a loopback container, its own family otherwise. */
  private static InetAddress loopbackFor(InetAddress container) {
    return container.isLoopbackAddress() ? container : LOOPBACK;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** One ZeroTier connection and its loopback connection; ends when both directions are done or on an error. */
  private final class Splice {
    final Socket zeroTier;
    final Socket loopback;
    final AtomicInteger directions = new AtomicInteger(2);
    volatile int port = -1;

    Splice(Socket zeroTier, Socket loopback) {
      this.zeroTier = zeroTier;
      this.loopback = loopback;
    }

    void copy(Socket from, Socket to) {
      byte[] buffer = new byte[BUFFER];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
        }
        // Half-close: the other direction may still carry a response.
        to.shutdownOutput();
      } catch (IOException e) {
        abort();
        return;
      }
      if (directions.decrementAndGet() == 0) {
        abort();
      }
    }

    void abort() {
      closeQuietly(zeroTier);
      closeQuietly(loopback);
      if (port >= 0) {
        callers.remove(port);
      }
      splices.remove(this);
    }
  }

  /**
   * The drain step as its own lifecycle: after the web server has stopped, before the node stops. It finds the bridge
   * only when stopping: a bean reference would make the lifecycle processor start the bridge together with this
   * earlier phase, before the web server has started.
   */
  public static final class Drain implements SmartLifecycle {

    private final Supplier<ZeroTierLoopbackBridge> bridge;
    private final Duration timeout;
    private volatile boolean running;

    /**
     * @param bridge the bridge to drain, looked up when stopping
     * @param timeout how long to wait for connections to end
     */
    public Drain(Supplier<ZeroTierLoopbackBridge> bridge, Duration timeout) {
      this.bridge = bridge;
      this.timeout = timeout;
    }

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      bridge.get().drain(timeout);
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return DRAIN_PHASE;
    }
  }
}

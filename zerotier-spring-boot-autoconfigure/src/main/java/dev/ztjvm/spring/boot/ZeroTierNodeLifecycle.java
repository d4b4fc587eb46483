package dev.ztjvm.spring.boot;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the managed node, runs the {@link ZeroTierNodeStartupAction}s (e.g. authorizing itself), joins the configured
 * networks and waits (bounded) until each is ready, all before the web server starts; stops the node after graceful
 * shutdown has drained requests.
 *
 * <p>A network that waits for the user (not authorized, not found, authentication required) ends the wait at once
 * unless {@code failOnTimeout} is set: the application starts, health reports DOWN with the reason, and the ZeroTier
 * web server serves as soon as the network is ready. With {@code failOnTimeout} the wait lasts its full time (the node
 * may be authorized meanwhile) and a timeout fails the start.
 *
 * <p>The phase is one step ({@value #PHASE_STEP}) below Boot's {@link
 * WebServerApplicationContext#START_STOP_LIFECYCLE_PHASE}: lower phases start first and stop last, and the web server's
 * graceful shutdown ({@link WebServerApplicationContext#GRACEFUL_SHUTDOWN_PHASE}) is above that again.
 */
public final class ZeroTierNodeLifecycle implements SmartLifecycle {

  /** Distance below the web server's start/stop phase, as Boot spaces its own phases. */
  public static final int PHASE_STEP = 1024;

  /** The phase of the node: starts before and stops after the web server. */
  public static final int PHASE = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - PHASE_STEP;

  private static final Log log = LogFactory.getLog(ZeroTierNodeLifecycle.class);
  private static final Pattern UDP_PORT = Pattern.compile("UDP port (\\d+)");

  private final ZeroTierNode node;
  private final List<Long> networks;
  private final Duration startupWait;
  private final boolean failOnTimeout;
  private final List<ZeroTierNodeStartupAction> actions;
  private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
  private volatile @Nullable ZeroTierObservations observations;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile boolean running;

  /**
   * @param node the node to manage
   * @param networks networks to join on start
   * @param startupWait how long start-up waits for the node to be online and every network ready (zero: no wait)
   * @param failOnTimeout whether a timeout fails start-up (else it is logged and health reports DOWN)
   */
  public ZeroTierNodeLifecycle(
      ZeroTierNode node, List<Long> networks, Duration startupWait, boolean failOnTimeout) {
    this(node, networks, startupWait, failOnTimeout, List.of());
  }

  /**
   * @param node the node to manage
   * @param networks networks to join on start
   * @param startupWait how long start-up waits for the node to be online and every network ready (zero: no wait)
   * @param failOnTimeout whether a timeout fails start-up (else it is logged and health reports DOWN)
   * @param actions run after the node started, before it joins, in this order
   */
  public ZeroTierNodeLifecycle(ZeroTierNode node, List<Long> networks, Duration startupWait, boolean failOnTimeout,
      List<ZeroTierNodeStartupAction> actions) {
    this.node = node;
    this.networks = List.copyOf(networks);
    this.startupWait = startupWait;
    this.failOnTimeout = failOnTimeout;
    this.actions = List.copyOf(actions);
  }

  /** Where the start-up and join observations go ({@link ZeroTierObservations}); none by default. */
  public void setObservationRegistry(ObservationRegistry registry) {
    this.observationRegistry = registry;
  }

  @Override
  public void start() {
    if (running) {
      return;
    }
    ZeroTierObservations observed = new ZeroTierObservations(node, observationRegistry);
    observations = observed;
    Observation startup = observed.nodeStart();
    try (Observation.Scope scope = startup.openScope()) {
      startNode(observed);
    } catch (RuntimeException e) {
      startup.error(e);
      observed.nodeStopped();
      throw e;
    } finally {
      startup.stop();
    }
  }

  private void startNode(ZeroTierObservations observed) {
    ZeroTierEventListener signal = event -> signal();
    node.addListener(signal);
    try {
      node.start();
      for (ZeroTierNodeStartupAction action : actions) {
        try {
          action.nodeStarted(node, networks);
        } catch (RuntimeException e) {
          log.warn("ZeroTier start-up action " + action + " failed: " + e.getMessage());
        }
      }
      for (long nwid : networks) {
        observed.joining(nwid);
        node.join(nwid);
      }
      running = true;
      if (!startupWait.isZero() && !awaitReady(startupWait)) {
        String problems = String.join("; ", notReadyReasons());
        if (failOnTimeout) {
          String message = "ZeroTier node " + node.nodeIdString() + " not ready after " + startupWait + ": " + problems;
          boolean online = node.isOnline();
          List<InetSocketAddress> roots = rootsOf(node);
          node.stop();
          running = false;
          throw online ? new ZeroTierStartupException(message)
              : new ZeroTierNotOnlineException(message, node.nodeIdString(), roots);
        }
        log.warn("ZeroTier node not ready (health reports DOWN until it is; its ZeroTier server, if enabled, serves"
            + " once it is): " + problems);
      }
    } catch (ZeroTierStartupException e) {
      throw e;
    } catch (BindException e) {
      throw new ZeroTierPortInUseException(portOf(e), e);
    } catch (Exception e) {
      throw new ZeroTierStartupException("ZeroTier node failed to start: " + e.getMessage(), e);
    } finally {
      node.removeListener(signal);
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private boolean awaitReady(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      while (!notReadyReasons().isEmpty()) {
        if (!failOnTimeout && waitsForTheUser()) {
          return false;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        // Bounded slice: a missed signal costs at most this long.
        changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private static List<InetSocketAddress> rootsOf(ZeroTierNode node) {
    List<InetSocketAddress> roots = new ArrayList<>();
    node.planet().roots().forEach(root -> roots.addAll(root.stableEndpoints()));
    return roots;
  }

  /** The port named in the SDK's bind failure ("UDP port 9993 on ... is in use"), -1 if none. */
  private static int portOf(BindException e) {
    Matcher m = UDP_PORT.matcher(String.valueOf(e.getMessage()));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Whether a configured network needs the user to act (authorize, fix the ID, authenticate): waiting is futile. */
  private boolean waitsForTheUser() {
    for (long nwid : networks) {
      var network = ZeroTierSnapshots.network(node, nwid).orElse(null);
      if (network != null && switch (network.status()) {
        case ACCESS_DENIED, NOT_FOUND, AUTHENTICATION_REQUIRED, CLIENT_TOO_OLD -> true;
        default -> false;
      }) {
        return true;
      }
    }
    return false;
  }

  /** Why the node is not ready yet; empty when online and every configured network is OK with an address. */
  List<String> notReadyReasons() {
    return ZeroTierReadiness.problems(node, networks);
  }

  @Override
  public void stop() {
    if (running) {
      running = false;
      node.stop();
      ZeroTierObservations observed = observations;
      if (observed != null) {
        observed.nodeStopped();
      }
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
}

package dev.ztjvm.underlay.portmap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Keeps one UDP port mapped on the gateway for as long as it runs: maps at {@link #start()}, renews at half the
 * granted lifetime (RFC 6887 section 11.2.1, RFC 6886 section 3.3), and deletes the mapping at {@link #close()}.
 * After a refusal or silence it tries again only after {@link Options#retryAfterFailure()}. Works on its own daemon
 * thread; the listener hears the external address whenever it changes (null when the mapping is gone).
 */
public final class PortMapper implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PortMapper.class.getName());

  /**
   * @param gateway the gateway's PCP/NAT-PMP server; null for the default gateway on port 5351
   * @param internalPort our UDP port to map
   * @param lifetimeSeconds the lifetime to ask for (RFC 6886 recommends 7200 s)
   * @param retransmission waits and tries per request
   * @param retryAfterFailure wait after a refusal or no answer before trying again
   */
  public record Options(@Nullable InetSocketAddress gateway, int internalPort, long lifetimeSeconds,
      Retransmission retransmission, Duration retryAfterFailure) {
    public static final long DEFAULT_LIFETIME_SECONDS = 7200;
    public static final Duration DEFAULT_RETRY = Duration.ofMinutes(10);

    public Options {
      Objects.requireNonNull(retransmission, "retransmission");
      Objects.requireNonNull(retryAfterFailure, "retryAfterFailure");
      if (internalPort < 1 || internalPort > 65535) {
        throw new IllegalArgumentException("internal port must be 1..65535: " + internalPort);
      }
      if (lifetimeSeconds < 2) {
        throw new IllegalArgumentException("port mapping lifetime must be at least 2 s: " + lifetimeSeconds);
      }
    }
  }

  /** Where the mapping stands. */
  public enum Status {
    STARTING, MAPPED, FAILED, NO_GATEWAY, STOPPED
  }

  /**
   * A snapshot.
   *
   * @param mapping the current mapping, or null
   * @param lastError the last refusal or timeout, or null
   * @param requests map/renew requests completed or failed (not counting retransmissions)
   * @param malformedResponses datagrams dropped as not a well-formed answer
   */
  public record State(Status status, @Nullable PortMapping mapping, @Nullable PortMapException lastError,
      long requests, long malformedResponses) {}

  private final Options options;
  private final Consumer<@Nullable InetSocketAddress> onExternalAddress;
  private final ScheduledExecutorService thread;
  private volatile State state = new State(Status.STARTING, null, null, 0, 0);
  private volatile @Nullable PortMapClient client;
  private volatile boolean closing;

  /** Longest a stop waits for the gateway to confirm a delete; an unconfirmed mapping expires by itself. */
  private static final long DELETE_WAIT_MILLIS = 5_000;

  public PortMapper(Options options, Consumer<@Nullable InetSocketAddress> onExternalAddress) {
    this.options = Objects.requireNonNull(options, "options");
    this.onExternalAddress = Objects.requireNonNull(onExternalAddress, "onExternalAddress");
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "zt-portmap-" + options.internalPort());
      t.setDaemon(true);
      return t;
    });
  }

  public State state() {
    return state;
  }

  /** Starts mapping in the background. */
  public void start() {
    thread.execute(this::refresh);
  }

  private void refresh() {
    if (closing) {
      return;
    }
    PortMapClient c = client;
    if (c == null) {
      InetSocketAddress gw = options.gateway();
      if (gw == null) {
        InetAddress ip = DefaultGateway.ipv4();
        if (ip == null) {
          state = new State(Status.NO_GATEWAY, null, null, 0, 0);
          LOG.info("port mapping: no IPv4 default gateway found; nothing mapped");
          return;
        }
        gw = new InetSocketAddress(ip, PortMapClient.SERVER_PORT);
      }
      try {
        c = new PortMapClient(gw, options.retransmission());
      } catch (IOException e) {
        state = new State(Status.FAILED, null, new PortMapException(PortMapProtocol.PCP, PortMapException.NO_ANSWER,
            "cannot open a socket to " + gw + ": " + e.getMessage()), state.requests(), 0);
        later(options.retryAfterFailure().toMillis());
        return;
      }
      client = c;
      if (closing) {
        c.close(); // close() may have looked before the client existed
        return;
      }
    }
    State before = state;
    PortMapping old = before.mapping();
    try {
      PortMapping m = c.map(options.internalPort(), old == null ? options.internalPort() : old.external().getPort(),
          options.lifetimeSeconds());
      state = new State(Status.MAPPED, m, null, before.requests() + 1, c.malformedResponses());
      if (old == null || !old.external().equals(m.external())) {
        LOG.info(() -> "port mapping: UDP " + options.internalPort() + " mapped to " + m.external() + " by "
            + m.protocol() + " for " + m.lifetimeSeconds() + " s");
        onExternalAddress.accept(m.external());
      }
      long renewMillis = Math.max(1000, m.lifetimeSeconds() * 1000 / 2);
      later(renewMillis);
    } catch (PortMapException e) {
      state = new State(Status.FAILED, null, e, before.requests() + 1, c.malformedResponses());
      LOG.info(() -> "port mapping: " + e.getMessage() + "; next try in " + options.retryAfterFailure());
      if (old != null) {
        onExternalAddress.accept(null);
      }
      later(options.retryAfterFailure().toMillis());
    } catch (IOException | RuntimeException e) {
      state = new State(Status.FAILED, null, new PortMapException(PortMapProtocol.PCP, PortMapException.NO_ANSWER,
          "port mapping failed: " + e), before.requests() + 1, c.malformedResponses());
      LOG.log(Level.INFO, "port mapping failed", e);
      later(options.retryAfterFailure().toMillis());
    }
  }

  private void later(long millis) {
    if (closing) {
      return;
    }
    try {
      thread.schedule(this::refresh, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /**
   * Deletes the mapping (lifetime 0), waiting at most 5 s for the gateway, and stops the thread. Without a mapping,
   * a request still in flight (a silent gateway) is abandoned at once, so stopping a node never waits for it.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    try {
      if (state.mapping() != null) {
        thread.submit(this::delete).get(DELETE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (TimeoutException | ExecutionException e) {
      LOG.log(Level.FINE, "port mapping delete did not finish; the mapping expires by itself", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      PortMapClient c = client;
      if (c != null) {
        c.close(); // ends a request in flight
      }
      thread.shutdownNow();
      try {
        thread.awaitTermination(DELETE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      State s = state;
      state = new State(Status.STOPPED, null, s.lastError(), s.requests(), s.malformedResponses());
    }
  }

  private void delete() {
    PortMapClient c = client;
    State s = state;
    PortMapping m = s.mapping();
    try {
      if (c != null && m != null) {
        c.unmap(m);
      }
    } catch (IOException e) {
      LOG.info(() -> "port mapping: delete of " + m + " failed (it expires by itself): " + e.getMessage());
    }
  }
}

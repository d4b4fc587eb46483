package dev.ztjvm.netty;

import dev.ztjvm.sockets.ZeroTierNode;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Resolves host names for clients over ZeroTier, e.g. {@code HttpClient.create().resolver(group)}. IP literals
 * resolve to themselves; names come first from a hosts table kept here ({@link #put}), then, for a group made with
 * {@link #ZeroTierAddressResolverGroup(ZeroTierNode)}, from the DNS servers the network pushes to the node
 * ({@link ZeroTierNode#resolve}). The system resolver is never consulted, so a name can never silently resolve to an
 * address outside the ZeroTier network. Node lookups block on DNS, so they run on one daemon thread of this group,
 * never on an event loop; {@link #close()} stops it.
 */
public final class ZeroTierAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

  private static final Duration DNS_TIMEOUT = Duration.ofSeconds(5);

  private final Map<String, List<InetAddress>> hosts = new ConcurrentHashMap<>();
  private final @Nullable ZeroTierNode node;
  private final @Nullable ExecutorService dns;

  /** Hosts table and IP literals only. */
  public ZeroTierAddressResolverGroup() {
    this.node = null;
    this.dns = null;
  }

  /** Hosts table, then {@code node}'s network DNS. */
  public ZeroTierAddressResolverGroup(ZeroTierNode node) {
    this.node = node;
    this.dns = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "zt-dns-" + node.nodeIdString());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void close() {
    super.close();
    if (dns != null) {
      dns.shutdownNow();
    }
  }

  /** Maps {@code name} (case-insensitive) to {@code addresses}, replacing an earlier entry. */
  public ZeroTierAddressResolverGroup put(String name, InetAddress... addresses) {
    if (addresses.length == 0) {
      throw new IllegalArgumentException("no addresses for " + name);
    }
    hosts.put(name.toLowerCase(Locale.ROOT), List.of(addresses));
    return this;
  }

  /** Forgets {@code name}. */
  public ZeroTierAddressResolverGroup remove(String name) {
    hosts.remove(name.toLowerCase(Locale.ROOT));
    return this;
  }

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    return new InetSocketAddressResolver(executor, new HostsNameResolver(executor));
  }

  /** The table's or a literal's answer, or {@code null} if the node's DNS must be asked. */
  private @Nullable List<InetAddress> lookupLocal(String name) throws UnknownHostException {
    if (isIpLiteral(name)) {
      return List.of(InetAddress.getByName(name));
    }
    List<InetAddress> found = hosts.get(name.toLowerCase(Locale.ROOT));
    if (found == null && node == null) {
      throw new UnknownHostException(name + ": not in the ZeroTier hosts table");
    }
    return found;
  }

  private void lookup(String name, EventExecutor executor, Consumer<List<InetAddress>> ok,
      Consumer<Throwable> failed) {
    try {
      List<InetAddress> local = lookupLocal(name);
      if (local != null) {
        ok.accept(local);
        return;
      }
      ZeroTierNode n = node;
      ExecutorService d = dns;
      if (n == null || d == null) {
        throw new UnknownHostException(name);
      }
      d.execute(() -> {
        try {
          List<InetAddress> found = n.resolve(name, DNS_TIMEOUT);
          executor.execute(() -> ok.accept(found));
        } catch (IOException | RuntimeException e) {
          executor.execute(() -> failed.accept(e));
        }
      });
    } catch (UnknownHostException | RejectedExecutionException e) {
      failed.accept(e);
    }
  }

  private static boolean isIpLiteral(String s) {
    if (s.indexOf(':') >= 0) {
      return true;
    }
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private final class HostsNameResolver extends InetNameResolver {

    HostsNameResolver(EventExecutor executor) {
      super(executor);
    }

    @Override
    protected void doResolve(String name, Promise<InetAddress> promise) {
      lookup(name, executor(), found -> {
        if (found.isEmpty()) {
          promise.tryFailure(new UnknownHostException(name));
        } else {
          promise.trySuccess(found.get(0));
        }
      }, promise::tryFailure);
    }

    @Override
    protected void doResolveAll(String name, Promise<List<InetAddress>> promise) {
      lookup(name, executor(), promise::trySuccess, promise::tryFailure);
    }
  }
}

package dev.ztjvm.netty;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves host names for clients over ZeroTier, e.g. {@code HttpClient.create().resolver(group)}. IP literals
 * resolve to themselves; names come from a hosts table kept here ({@link #put}). The system resolver is never
 * consulted, so a name can never silently resolve to an address outside the ZeroTier network.
 * <p>
 * The node has no DNS client yet (ZeroTier's pushed DNS configuration); when it has one, this group will ask it for
 * names missing from the table.
 */
public final class ZeroTierAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

  private final Map<String, List<InetAddress>> hosts = new ConcurrentHashMap<>();

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

  private List<InetAddress> lookup(String name) throws UnknownHostException {
    if (isIpLiteral(name)) {
      return List.of(InetAddress.getByName(name));
    }
    List<InetAddress> found = hosts.get(name.toLowerCase(Locale.ROOT));
    if (found == null) {
      throw new UnknownHostException(name + ": not in the ZeroTier hosts table");
    }
    return found;
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
      try {
        promise.setSuccess(lookup(name).get(0));
      } catch (UnknownHostException e) {
        promise.setFailure(e);
      }
    }

    @Override
    protected void doResolveAll(String name, Promise<List<InetAddress>> promise) {
      try {
        promise.setSuccess(lookup(name));
      } catch (UnknownHostException e) {
        promise.setFailure(e);
      }
    }
  }
}

package dev.ztjvm.spring.boot.test;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.vl2.IpPrefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a {@link LocalZeroTier} for one application context, creates its network and the application's identity,
 * and feeds the {@code zerotier.*} properties; closes it with the context. Unless the test sets them itself, the node's
 * storage is a fresh temporary directory (never the application's own {@code zerotier.storage}) and, with
 * {@code zerotier-central} on the class path, the Central client beans point at the in-process controller's
 * Central-compatible API (never at ZeroTier Central).
 */
final class LocalZeroTierContextCustomizer implements ContextCustomizer {

  private final boolean authorize;
  private final String route;
  private final boolean rfc4193;

  LocalZeroTierContextCustomizer(boolean authorize, String route, boolean rfc4193) {
    this.authorize = authorize;
    this.route = route;
    this.rfc4193 = rfc4193;
  }

  @Override
  public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
    LocalZeroTier zeroTier;
    try {
      zeroTier = LocalZeroTier.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the in-process ZeroTier", e);
    }
    try {
      IpPrefix prefix = IpPrefix.parse(route);
      byte[] base = prefix.address().getAddress();
      long nwid = zeroTier.createPrivateNetwork("spring-boot-test", route, host(base, 10), host(base, 250), rfc4193);
      Identity identity = Identity.generate();
      if (authorize) {
        zeroTier.authorize(nwid, identity.address());
      }
      Path planet = zeroTier.home().resolve("spring-test-planet");
      Files.write(planet, zeroTier.planetBytes());
      Set<String> explicit = explicitProperties(config);
      List<String> properties = new ArrayList<>(List.of(
          "zerotier.network-id=" + String.format("%016x", nwid),
          "zerotier.identity=" + identity.toSecretString(),
          "zerotier.planet=" + planet.toUri(),
          "zerotier.port=0",
          "zerotier.bind-addresses=" + zeroTier.rootEndpoint().getAddress().getHostAddress(),
          "zerotier.allow-loopback-paths=true"));
      Path storage = null;
      if (!explicit.contains("zerotier.storage")) {
        storage = zeroTier.home().resolve("application-node");
        properties.add("zerotier.storage=" + storage);
      }
      AutoCloseable api = null;
      String centralApiUrl = null;
      if (!explicit.contains("zerotier.central.token") && !explicit.contains("zerotier.central.base-url")
          && LocalControllerApi.available()) {
        LocalControllerApi local = new LocalControllerApi(zeroTier);
        api = local;
        centralApiUrl = local.centralApiUrl();
        properties.add("zerotier.central.base-url=" + centralApiUrl);
        properties.add("zerotier.central.token=" + local.token());
      }
      TestPropertyValues.of(properties).applyTo(context);
      context.getBeanFactory().registerSingleton("localZeroTierNetwork",
          new LocalZeroTierNetwork(zeroTier, nwid, identity.address(), storage, centralApiUrl));
      LocalZeroTier started = zeroTier;
      AutoCloseable startedApi = api;
      context.addApplicationListener(event -> {
        if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
          try {
            if (startedApi != null) {
              startedApi.close();
            }
          } catch (Exception e) {
            // closing a loopback test server: nothing to do about it
          }
          started.close(); // deletes its home, the application's storage included
        }
      });
    } catch (IOException | RuntimeException e) {
      zeroTier.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** Property names the test itself sets (@SpringBootTest properties, @TestPropertySource). */
  private static Set<String> explicitProperties(MergedContextConfiguration config) {
    Set<String> names = new HashSet<>();
    for (String entry : config.getPropertySourceProperties()) {
      int separator = entry.indexOf('=') >= 0 ? entry.indexOf('=') : entry.indexOf(':');
      names.add((separator < 0 ? entry : entry.substring(0, separator)).strip());
    }
    return names;
  }

  private static String host(byte[] base, int last) {
    byte[] a = base.clone();
    a[a.length - 1] = (byte) last;
    try {
      return InetAddress.getByAddress(a).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LocalZeroTierContextCustomizer o
        && o.authorize == authorize && o.route.equals(route) && o.rfc4193 == rfc4193;
  }

  @Override
  public int hashCode() {
    return Objects.hash(authorize, route, rfc4193);
  }
}

package dev.ztjvm.testing;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/** A private planet with roots on 127.0.0.1, for tests that run whole nodes in one JVM. */
public final class LoopbackPlanet {

  private LoopbackPlanet() {}

  /** A UDP port that was free a moment ago on 127.0.0.1. */
  public static int freeUdpPort() {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A signed planet with one root reachable at 127.0.0.1:{@code port}. */
  public static World withRoot(Identity root, int port) {
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    World.Root r =
        new World.Root(root.publicOnly(), List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    return World.sign(
        World.Type.PLANET, 0x7a744c4142990001L, System.currentTimeMillis(), key.publicKey(), List.of(r), key);
  }

  /** One of the lab identities under {@code zt-captures/identities/<name>/identity.secret}. */
  public static Identity labIdentity(String name) {
    Path p = SharedData.capture("identities").resolve(name).resolve("identity.secret");
    try {
      return Identity.parse(Files.readString(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

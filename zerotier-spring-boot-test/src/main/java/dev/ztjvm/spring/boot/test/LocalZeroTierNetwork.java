package dev.ztjvm.spring.boot.test;

import dev.ztjvm.sockets.LocalZeroTier;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The private ZeroTier of a {@link LocalZeroTierTest}: its network and the application's node, with the controller
 * operations a test needs. Registered as a bean in the test's application context.
 */
public final class LocalZeroTierNetwork {

  private final LocalZeroTier zeroTier;
  private final long networkId;
  private final long applicationNodeId;
  private final @Nullable Path applicationStorage;
  private final @Nullable String centralApiUrl;

  LocalZeroTierNetwork(LocalZeroTier zeroTier, long networkId, long applicationNodeId,
      @Nullable Path applicationStorage, @Nullable String centralApiUrl) {
    this.zeroTier = zeroTier;
    this.networkId = networkId;
    this.applicationNodeId = applicationNodeId;
    this.applicationStorage = applicationStorage;
    this.centralApiUrl = centralApiUrl;
  }

  /**
   * The application node's {@code zerotier.storage}: a fresh directory of this context (deleted with it), or null
   * when the test set {@code zerotier.storage} itself.
   */
  public @Nullable Path applicationStorage() {
    return applicationStorage;
  }

  /**
   * The in-process controller's Central-compatible API that {@code zerotier.central.base-url} points at (so the
   * application's {@code ZeroTierCentralClient} and {@code BlockingZeroTierCentralClient} beans manage this network),
   * or null without {@code zerotier-central} or when the test configured the Central client itself.
   */
  public @Nullable String centralApiUrl() {
    return centralApiUrl;
  }

  /** The in-process planet, root and controller (create more nodes with {@code nodeBuilder()}). */
  public LocalZeroTier localZeroTier() {
    return zeroTier;
  }

  /** The network the application joins ({@code zerotier.network-id}). */
  public long networkId() {
    return networkId;
  }

  /** The network ID as sixteen hex digits. */
  public String networkIdString() {
    return String.format("%016x", networkId);
  }

  /** The application node's address ({@code zerotier.identity}). */
  public long applicationNodeId() {
    return applicationNodeId;
  }

  /** The application node's address as ten hex digits. */
  public String applicationNodeIdString() {
    return String.format("%010x", applicationNodeId);
  }

  /** Authorizes the application's node on the network. */
  public void authorizeApplication() throws IOException {
    zeroTier.authorize(networkId, applicationNodeId);
  }

  /** Revokes the application's node's authorization. */
  public void deauthorizeApplication() throws IOException {
    zeroTier.deauthorize(networkId, applicationNodeId);
  }

  /** Authorizes another node (e.g. a client node the test created). */
  public void authorize(long nodeId) throws IOException {
    zeroTier.authorize(networkId, nodeId);
  }
}

package dev.ztjvm.network;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Options of a {@link NetworkManager}.
 *
 * @param storage the node's home directory ({@code networks.d/} lives below it), or null for no storage
 * @param cacheNetworks keep network configs in {@code networks.d/} and re-join the networks found there on start
 * @param osArch the OS/architecture string sent to controllers ({@code o} in the request metadata)
 * @param authToken an auth token sent with config requests ({@code a=token:<t>}), or null
 */
public record NetworkOptions(@Nullable Path storage, boolean cacheNetworks, String osArch, @Nullable String authToken) {

  /** No storage. */
  public static NetworkOptions inMemory() {
    return new NetworkOptions(null, false, defaultOsArch(), null);
  }

  /** Storage in {@code home} with the network cache on. */
  public static NetworkOptions withStorage(Path home) {
    return new NetworkOptions(home, true, defaultOsArch(), null);
  }

  public NetworkOptions withCacheNetworks(boolean on) {
    return new NetworkOptions(storage, on, osArch, authToken);
  }

  public NetworkOptions withAuthToken(@Nullable String token) {
    return new NetworkOptions(storage, cacheNetworks, osArch, token);
  }

  static String defaultOsArch() {
    return System.getProperty("os.name", "unknown").toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "/"
        + System.getProperty("os.arch", "unknown");
  }
}

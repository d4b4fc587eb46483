package dev.ztjvm.node;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.runtime.AtomicFiles;
import dev.ztjvm.vl1.InetAddresses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The peer cache in a node's storage directory ({@code peers.d/}, as zerotier-one keeps one): each peer's public
 * identity and its last confirmed physical addresses, so that after a restart the node reaches known peers directly,
 * without WHOIS round trips or relays.
 *
 * <p>File format (ours; zerotier-one's binary peer files are not read): {@code peers.d/<10-hex address>.peer}, UTF-8
 * text, first line the public identity string, then one {@code ip/port} per line. Unreadable or invalid files are
 * skipped (and left alone); at most {@value #MAX_LOADED} peers are loaded, each identity validated first.
 */
public final class PeerCache {

  /** Most cached peers loaded at start (each costs an identity validation of a few tens of milliseconds). */
  public static final int MAX_LOADED = 64;

  private static final Logger LOG = Logger.getLogger(PeerCache.class.getName());

  private final Vl1Node node;
  private final Path dir;

  private PeerCache(Vl1Node node, Path dir) {
    this.node = node;
    this.dir = dir;
  }

  /**
   * Keeps the cache up to date from now on and loads it into {@code node} in the background (identities are validated
   * off the node's loop, then added on it). Call from any thread after the node started.
   *
   * @param dir the {@code peers.d} directory (created when missing)
   * @return a future completed when the cached peers were handed to the node
   */
  public static CompletableFuture<PeerCache> attach(Vl1Node node, Path dir) throws IOException {
    Objects.requireNonNull(node, "node");
    Files.createDirectories(dir);
    PeerCache cache = new PeerCache(node, dir);
    node.addListener(
        new Vl1Listener() {
          @Override
          public void onPeerAdded(long peer) {
            cache.save(peer);
          }

          @Override
          public void onPathLearned(long peer, InetSocketAddress remote) {
            cache.save(peer);
          }
        });
    CompletableFuture<PeerCache> done = new CompletableFuture<>();
    CompletableFuture.supplyAsync(cache::readAll)
        .whenComplete(
            (entries, error) -> {
              if (error != null) {
                done.completeExceptionally(error);
                return;
              }
              node.loop()
                  .execute(
                      () -> {
                        for (Entry e : entries) {
                          node.addCachedPeer(e.identity(), e.paths());
                        }
                        done.complete(cache);
                      });
            });
    return done;
  }

  private List<Entry> readAll() {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.peer")) {
      for (Path f : stream) {
        if (files.size() >= MAX_LOADED) {
          break;
        }
        files.add(f);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Cannot read the peer cache " + dir + ": " + e.getMessage());
    }
    return files.parallelStream().map(PeerCache::read).filter(Objects::nonNull).toList();
  }

  private record Entry(Identity identity, List<InetSocketAddress> paths) {}

  private static @Nullable Entry read(Path f) {
    try {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        return null;
      }
      Identity id = Identity.parse(lines.get(0));
      String expected = id.addressString() + ".peer";
      if (!f.getFileName().toString().equals(expected) || !id.locallyValidate()) {
        return null;
      }
      List<InetSocketAddress> paths = new ArrayList<>();
      for (int i = 1; i < lines.size() && paths.size() < 16; i++) {
        String l = lines.get(i).trim();
        if (!l.isEmpty()) {
          paths.add(InetAddresses.parseEndpoint(l));
        }
      }
      return new Entry(id.publicOnly(), paths);
    } catch (IOException | RuntimeException e) {
      return null; // a damaged cache entry is skipped, never fatal
    }
  }

  private void save(long peer) {
    Identity id = node.peerIdentity(peer);
    PeerInfo info = node.peer(peer);
    if (id == null || info == null) {
      return;
    }
    StringBuilder sb = new StringBuilder(id.toPublicString()).append('\n');
    for (PathInfo p : info.paths()) {
      sb.append(InetAddresses.toEndpointString(p.remote())).append('\n');
    }
    Path target = dir.resolve(id.addressString() + ".peer");
    try {
      Path tmp = Files.createTempFile(dir, ".peer", ".tmp");
      Files.writeString(tmp, sb, StandardCharsets.UTF_8);
      AtomicFiles.replace(tmp, target);
    } catch (IOException e) {
      LOG.log(Level.FINE, "Cannot write " + target, e);
    }
  }
}

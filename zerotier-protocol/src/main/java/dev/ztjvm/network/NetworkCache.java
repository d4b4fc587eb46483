package dev.ztjvm.network;

import dev.ztjvm.runtime.AtomicFiles;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The {@code networks.d} directory as zerotier-one and libzt keep it: {@code <nwid>.conf} holds the last accepted
 * config dictionary, or a single LF for a network joined but never configured. A node moved between implementations
 * re-joins the same networks.
 */
final class NetworkCache {
  private static final Logger LOG = Logger.getLogger(NetworkCache.class.getName());

  private final Path dir;

  NetworkCache(Path storage) {
    this.dir = storage.resolve("networks.d");
  }

  Path directory() {
    return dir;
  }

  /** Network IDs with a {@code .conf} file. */
  List<Long> joined() {
    List<Long> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.conf")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.length() == 21 && !n.endsWith(".local.conf")) {
          try {
            out.add(NetworkId.parse(n.substring(0, 16)));
          } catch (IllegalArgumentException e) {
            // not one of ours
          }
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list " + dir, e);
    }
    out.sort(Long::compareUnsigned);
    return out;
  }

  /** The cached config, or null if none (or unreadable: a bad cache file is ignored, never fatal). */
  @Nullable
  NetworkConfig load(long nwid) {
    Path p = file(nwid);
    try {
      if (!Files.isRegularFile(p)) {
        return null;
      }
      byte[] b = Files.readAllBytes(p);
      if (b.length <= 1) {
        return null;
      }
      NetworkConfig c = NetworkConfig.parse(b);
      return c.networkId() == nwid ? c : null;
    } catch (IOException | IllegalArgumentException e) {
      LOG.log(Level.FINE, "ignoring unreadable cached config " + p, e);
      return null;
    }
  }

  /** Marks a network joined (a single LF, as zerotier-one writes on join) unless a file exists. */
  void markJoined(long nwid) {
    Path p = file(nwid);
    if (!Files.exists(p)) {
      write(p, new byte[] {'\n'});
    }
  }

  void save(long nwid, NetworkConfig config) {
    write(file(nwid), config.toBytes());
  }

  void remove(long nwid) {
    try {
      Files.deleteIfExists(file(nwid));
      Files.deleteIfExists(dir.resolve(NetworkId.toString(nwid) + ".local.conf"));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot remove cached config of " + NetworkId.toString(nwid), e);
    }
  }

  private Path file(long nwid) {
    return dir.resolve(NetworkId.toString(nwid) + ".conf");
  }

  private void write(Path p, byte[] data) {
    try {
      Files.createDirectories(dir);
      Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
      Files.write(tmp, data);
      AtomicFiles.replace(tmp, p);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot write " + p, e);
    }
  }
}

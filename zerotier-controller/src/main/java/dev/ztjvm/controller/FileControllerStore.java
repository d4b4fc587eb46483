package dev.ztjvm.controller;

import dev.ztjvm.controller.internal.Json;
import dev.ztjvm.identity.Address;
import dev.ztjvm.runtime.AtomicFiles;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The {@code controller.d} directory of zerotier-one's file database: {@code network/<nwid>.json} and {@code
 * network/<nwid>/member/<address>.json}, compact JSON. Only names of exactly 21 / 15 characters are loaded, as 1.x does.
 * Changes made by another process are detected by comparing file contents whenever a file's modification time or size
 * changes.
 */
public final class FileControllerStore implements ControllerStore {

  private final Path root;
  private final Path networkDir;
  /** path → last content we wrote or saw. */
  private final Map<Path, String> known = new HashMap<>();
  private final Map<Path, Long> stamps = new HashMap<>();
  private boolean baseline;

  /** @param root the {@code controller.d} directory (created when needed) */
  public FileControllerStore(Path root) {
    this.root = root;
    this.networkDir = root.resolve("network");
  }

  public Path root() {
    return root;
  }

  private Path networkFile(long nwid) {
    return networkDir.resolve(NetworkId.toString(nwid) + ".json");
  }

  private Path memberDir(long nwid) {
    return networkDir.resolve(NetworkId.toString(nwid)).resolve("member");
  }

  private Path memberFile(long nwid, long address) {
    return memberDir(nwid).resolve(Address.toString(address) + ".json");
  }

  @Override
  public synchronized List<Long> networkIds() throws IOException {
    return idsOfJsonFiles(networkDir, 16, NetworkId::parse);
  }

  @Override
  public synchronized Optional<Map<String, Object>> network(long networkId) throws IOException {
    return read(networkFile(networkId));
  }

  @Override
  public synchronized void saveNetwork(long networkId, Map<String, Object> network) throws IOException {
    write(networkFile(networkId), network);
  }

  @Override
  public synchronized boolean deleteNetwork(long networkId) throws IOException {
    boolean existed = Files.deleteIfExists(networkFile(networkId));
    known.remove(networkFile(networkId));
    stamps.remove(networkFile(networkId));
    Path dir = networkDir.resolve(NetworkId.toString(networkId));
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
          known.remove(p);
          stamps.remove(p);
        }
      }
    }
    return existed;
  }

  @Override
  public synchronized List<Long> memberAddresses(long networkId) throws IOException {
    return idsOfJsonFiles(memberDir(networkId), 10, Address::parse);
  }

  /**
   * The ids that name the {@code <id>.json} files of {@code dir} ({@code digits} hex digits each), in ascending
   * unsigned order; other files are passed over.
   */
  private static List<Long> idsOfJsonFiles(Path dir, int digits, ToLongFunction<String> parse) throws IOException {
    List<Long> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.length() == digits + ".json".length()) {
          try {
            out.add(parse.applyAsLong(n.substring(0, digits)));
          } catch (IllegalArgumentException e) {
            // not one of the store's files
          }
        }
      }
    }
    out.sort(Long::compareUnsigned);
    return out;
  }

  @Override
  public synchronized Optional<Map<String, Object>> member(long networkId, long address) throws IOException {
    return read(memberFile(networkId, address));
  }

  @Override
  public synchronized void saveMember(long networkId, long address, Map<String, Object> member) throws IOException {
    write(memberFile(networkId, address), member);
  }

  @Override
  public synchronized boolean deleteMember(long networkId, long address) throws IOException {
    Path p = memberFile(networkId, address);
    known.remove(p);
    stamps.remove(p);
    return Files.deleteIfExists(p);
  }

  private Optional<Map<String, Object>> read(Path p) throws IOException {
    String s;
    try {
      s = Files.readString(p, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.parseObject(s));
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid JSON in " + p + ": " + e.getMessage(), e);
    }
  }

  private void write(Path p, Map<String, Object> obj) throws IOException {
    Files.createDirectories(p.getParent());
    String s = Json.write(obj);
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp" + ProcessHandle.current().pid());
    Files.writeString(tmp, s, StandardCharsets.UTF_8);
    AtomicFiles.replace(tmp, p);
    known.put(p, s);
    stamps.put(p, stamp(p));
  }

  private static long stamp(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis() * 31 + Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public synchronized Set<Change> pollExternalChanges() throws IOException {
    Set<Change> out = new LinkedHashSet<>();
    Set<Path> seen = new HashSet<>();
    for (long nwid : networkIds()) {
      check(networkFile(nwid), new Change(nwid, 0), out, seen);
      for (long m : memberAddresses(nwid)) {
        check(memberFile(nwid, m), new Change(nwid, m), out, seen);
      }
    }
    for (Path p : new ArrayList<>(known.keySet())) {
      if (!seen.contains(p)) {
        known.remove(p); // deleted by someone else
        stamps.remove(p);
        Change c = changeFor(p);
        if (c != null && baseline) {
          out.add(c);
        }
      }
    }
    boolean first = !baseline;
    baseline = true;
    return first ? Set.of() : out;
  }

  private void check(Path p, Change c, Set<Change> out, Set<Path> seen) throws IOException {
    seen.add(p);
    long st = stamp(p);
    Long prev = stamps.get(p);
    if (prev != null && prev == st) {
      return;
    }
    stamps.put(p, st);
    String s;
    try {
      s = Files.readString(p, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    }
    String old = known.put(p, s);
    if (!s.equals(old)) {
      out.add(c);
    }
  }

  private @org.jspecify.annotations.Nullable Change changeFor(Path p) {
    try {
      String n = p.getFileName().toString();
      if (n.length() == 21) {
        return new Change(NetworkId.parse(n.substring(0, 16)), 0);
      }
      String nw = p.getParent().getParent().getFileName().toString();
      return new Change(NetworkId.parse(nw), Address.parse(n.substring(0, 10)));
    } catch (RuntimeException e) {
      return null;
    }
  }
}

package dev.ztjvm.controller;

import dev.ztjvm.identity.Address;
import dev.ztjvm.runtime.AtomicFiles;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The {@code controller.d} directory of zerotier-one's file database: {@code network/<nwid>.json} and {@code
 * network/<nwid>/member/<address>.json}, compact JSON. Only names of exactly 21 / 15 characters are loaded, as 1.x does.
 * Changes made by another process are detected by comparing file contents whenever a file's modification time or size
 * changes.
 *
 * <p>Writers of one directory exclude each other with {@link #locked}: a lock on {@value #LOCK_FILE_NAME} in the
 * directory (between processes: the running controller and {@code zerotier-tools controller member authorize}, say)
 * plus a lock per directory within this JVM. A save writes a temporary file beside the record, forces it to disk,
 * renames it over the record atomically and forces the directory, so a crash leaves the old or the new record, never
 * a torn one; a failed write (a full disk) deletes its temporary file, and temporary files left by processes that died
 * are deleted when a store is opened.
 */
public final class FileControllerStore implements ControllerStore {

  /** The file in the {@code controller.d} directory whose lock serializes writers across processes. */
  public static final String LOCK_FILE_NAME = ".lock";

  private static final String TEMP_MARK = ".tmp";

  /** One lock per directory in this JVM (file locks are per process: two threads would share one). */
  private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final ReentrantLock jvmLock;
  private final Path networkDir;
  /** path → last content we wrote or saw. */
  private final Map<Path, String> known = new HashMap<>();
  private final Map<Path, Long> stamps = new HashMap<>();
  private boolean baseline;

  /** @param root the {@code controller.d} directory (created when needed) */
  public FileControllerStore(Path root) {
    this.root = root;
    this.networkDir = root.resolve("network");
    this.jvmLock = JVM_LOCKS.computeIfAbsent(root.toAbsolutePath().normalize(), k -> new ReentrantLock());
    deleteStaleTemporaryFiles();
  }

  @Override
  public <T> T locked(LockedAction<T> action) throws IOException {
    jvmLock.lock();
    try {
      if (jvmLock.getHoldCount() > 1) {
        return action.run(); // reentered: the file lock is held already
      }
      Files.createDirectories(root);
      try (FileChannel ch =
          FileChannel.open(root.resolve(LOCK_FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        return action.run();
      }
    } finally {
      jvmLock.unlock();
    }
  }

  /** Deletes {@code *.json.tmp<pid>} files of processes that no longer run (a crash between write and rename). */
  private void deleteStaleTemporaryFiles() {
    if (!Files.isDirectory(networkDir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(networkDir, 3)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String n = p.getFileName().toString();
        int mark = n.lastIndexOf(".json" + TEMP_MARK);
        if (mark < 0) {
          continue;
        }
        try {
          long pid = Long.parseLong(n.substring(mark + ".json".length() + TEMP_MARK.length()));
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            continue; // a live writer's file (this process's too: another store here may be writing it)
          }
          Files.deleteIfExists(p);
        } catch (NumberFormatException | IOException e) {
          // not ours, or gone already
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // an unlistable directory fails later with a clear error
    }
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
    return read(networkFile(networkId), networkId, 0);
  }

  @Override
  public boolean saveNetwork(long networkId, Map<String, Object> network, long expectedRevision)
      throws IOException {
    return locked(() -> compareAndWrite(networkFile(networkId), networkId, 0, network, expectedRevision));
  }

  @Override
  public boolean deleteNetwork(long networkId) throws IOException {
    return locked(() -> deleteNetworkLocked(networkId));
  }

  private synchronized boolean deleteNetworkLocked(long networkId) throws IOException {
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
    return read(memberFile(networkId, address), networkId, address);
  }

  @Override
  public boolean saveMember(long networkId, long address, Map<String, Object> member, long expectedRevision)
      throws IOException {
    return locked(() -> compareAndWrite(memberFile(networkId, address), networkId, address, member, expectedRevision));
  }

  private synchronized boolean compareAndWrite(
      Path p, long networkId, long address, Map<String, Object> record, long expectedRevision) throws IOException {
    Optional<Map<String, Object>> current = read(p, networkId, address);
    long revision = current.map(c -> ControllerJson.num(c, "revision", 0)).orElse(ABSENT);
    if (revision != expectedRevision) {
      return false;
    }
    write(p, record);
    return true;
  }

  @Override
  public boolean deleteMember(long networkId, long address) throws IOException {
    return locked(() -> deleteMemberLocked(networkId, address));
  }

  private synchronized boolean deleteMemberLocked(long networkId, long address) throws IOException {
    Path p = memberFile(networkId, address);
    known.remove(p);
    stamps.remove(p);
    return Files.deleteIfExists(p);
  }

  private Optional<Map<String, Object>> read(Path p, long networkId, long address) throws IOException {
    byte[] raw;
    try {
      raw = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      String s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
      return Optional.of(ControllerJson.parseObject(s));
    } catch (CharacterCodingException e) {
      throw new UnreadableRecordException(networkId, address, "not UTF-8 (" + p + ")", e);
    } catch (IllegalArgumentException e) {
      throw new UnreadableRecordException(networkId, address, e.getMessage() + " (" + p + ")", e);
    }
  }

  private void write(Path p, Map<String, Object> obj) throws IOException {
    String s = ControllerJson.write(obj);
    Files.createDirectories(p.getParent());
    Path tmp = p.resolveSibling(p.getFileName() + TEMP_MARK + ProcessHandle.current().pid());
    boolean placed = false;
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true); // the content is on disk before the rename makes it the record
      }
      AtomicFiles.replace(tmp, p);
      placed = true;
      forceDirectory(p.getParent());
    } finally {
      if (!placed) {
        Files.deleteIfExists(tmp); // a full disk leaves no empty temporary file behind
      }
    }
    known.put(p, s);
    stamps.put(p, stamp(p));
  }

  /** Makes the rename durable (Linux and macOS; where directories cannot be opened, the rename is what we have). */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows: directories cannot be opened this way
    }
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

  private @Nullable Change changeFor(Path p) {
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

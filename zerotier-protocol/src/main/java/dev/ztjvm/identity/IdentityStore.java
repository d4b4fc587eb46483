package dev.ztjvm.identity;

import dev.ztjvm.runtime.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * An identity directory as zerotier-one keeps it: {@code identity.secret} ({@code address:0:public:private}) and
 * {@code identity.public} ({@code address:0:public}), no trailing newline. Files written by either side are readable
 * by the other.
 *
 * <p>Safety rules: {@code identity.secret} is written to a temporary file created with owner-only permissions (0600 on
 * POSIX) before any secret byte is written, flushed to disk, then moved into place atomically. A corrupt file, an
 * identity that fails validation, or an {@code identity.public} that does not match {@code identity.secret} makes
 * loading fail with an {@link InvalidIdentityFileException} naming the file, and such a file is never overwritten.
 * Secrets are never logged or put into exception messages.
 *
 * <p>Existing secret files are checked when read: an {@code identity.secret} that other users may read or write (any
 * group or other permission on POSIX) loses those permissions (the owner's stay) with a warning naming the file and the
 * permissions it had, as the key may already have leaked and the operator should know; if that cannot be done (the file
 * belongs to another user, a read-only file system) reading fails with an {@link InvalidIdentityFileException} that
 * names the file and the fix ({@code chmod 600}). A private key that anybody on the machine can read is never used
 * silently. See docs/reliability.md.
 */
public final class IdentityStore {

  /** File name of the secret identity. */
  public static final String SECRET_FILE = "identity.secret";
  /** File name of the public identity. */
  public static final String PUBLIC_FILE = "identity.public";

  private static final Logger LOG = Logger.getLogger(IdentityStore.class.getName());
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

  private final Path directory;

  /** A store for {@code directory} (created on the first save if missing). */
  public IdentityStore(Path directory) {
    this.directory = directory;
  }

  /** The directory. */
  public Path directory() {
    return directory;
  }

  /** Path of {@code identity.secret}. */
  public Path secretFile() {
    return directory.resolve(SECRET_FILE);
  }

  /** Path of {@code identity.public}. */
  public Path publicFile() {
    return directory.resolve(PUBLIC_FILE);
  }

  /**
   * Loads and validates the identity, or returns empty if there is no {@code identity.secret} (and no
   * {@code identity.public}).
   *
   * @throws InvalidIdentityFileException if a file is corrupt, invalid, or the two files disagree
   */
  public Optional<Identity> load() throws IOException {
    Path secret = secretFile();
    Path pub = publicFile();
    if (!Files.exists(secret)) {
      if (Files.exists(pub)) {
        throw new InvalidIdentityFileException(pub, "exists without " + SECRET_FILE + " (refusing to replace it)");
      }
      return Optional.empty();
    }
    Identity id = readSecretFile(secret);
    if (Files.exists(pub)) {
      Identity p = readFile(pub);
      if (!p.equals(id)) {
        throw new InvalidIdentityFileException(pub, "does not match " + secret + " (address " + p.addressString()
            + " vs " + id.addressString() + ")");
      }
    }
    return Optional.of(id);
  }

  /**
   * Loads the identity, or generates, saves and returns a new one if the directory has none. Never replaces an
   * existing file.
   */
  public Identity loadOrGenerate() throws IOException {
    Optional<Identity> existing = load();
    if (existing.isPresent()) {
      Identity id = existing.get();
      if (!Files.exists(publicFile())) {
        writePublicFile(publicFile(), id);
      }
      return id;
    }
    Identity id = Identity.generate();
    save(id);
    return id;
  }

  /**
   * Saves {@code id} (which must have its private key) as {@code identity.secret} and {@code identity.public}.
   *
   * @throws InvalidIdentityFileException if the directory already holds a different or unreadable identity
   */
  public void save(Identity id) throws IOException {
    if (!id.hasSecret()) {
      throw new IllegalArgumentException("cannot save an identity without its private key");
    }
    Path secret = secretFile();
    if (Files.exists(secret)) {
      Identity old = readSecretFile(secret);
      if (!old.equals(id) || !Arrays.equals(old.privateKey(), id.privateKey())) {
        throw new InvalidIdentityFileException(secret, "already holds identity " + old.addressString()
            + " (refusing to replace it with " + id.addressString() + ")");
      }
    } else {
      writeSecretFile(secret, id);
    }
    Path pub = publicFile();
    if (Files.exists(pub)) {
      Identity p = readFile(pub);
      if (!p.equals(id)) {
        throw new InvalidIdentityFileException(pub, "holds identity " + p.addressString()
            + " (refusing to replace it with " + id.addressString() + ")");
      }
    } else {
      writePublicFile(pub, id);
    }
  }

  // ---------------------------------------------------------------------------------------------- single files

  /**
   * Reads a file holding the secret form and validates it (proof of work, keys consistent).
   *
   * @throws InvalidIdentityFileException if it is missing the private key, corrupt or invalid
   */
  public static Identity readSecretFile(Path file) throws IOException {
    restrictToOwner(file);
    Identity id = readFile(file);
    if (!id.hasSecret()) {
      throw new InvalidIdentityFileException(file, "holds no private key");
    }
    return id;
  }

  /**
   * Takes every group and other permission off an existing secret file (keeping the owner's), warning once.
   *
   * @throws InvalidIdentityFileException if the permissions are too open and cannot be changed
   */
  static void restrictToOwner(Path file) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null || !Files.exists(file)) {
      return; // not POSIX (the directory's ACLs apply), or missing (reported by the read)
    }
    Set<PosixFilePermission> perms = view.readAttributes().permissions();
    Set<PosixFilePermission> owners = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : perms) {
      if (p == PosixFilePermission.OWNER_READ || p == PosixFilePermission.OWNER_WRITE
          || p == PosixFilePermission.OWNER_EXECUTE) {
        owners.add(p);
      }
    }
    if (owners.size() == perms.size()) {
      return;
    }
    String before = PosixFilePermissions.toString(perms);
    String after = PosixFilePermissions.toString(owners);
    try {
      view.setPermissions(owners);
    } catch (IOException | SecurityException e) {
      throw new InvalidIdentityFileException(file, "holds a private key readable by other users (" + before
          + ") and its permissions cannot be restricted (" + e.getMessage() + "); run: chmod 600 " + file);
    }
    LOG.warning("Private key file " + file + " had permissions " + before
        + " (other users had access); restricted it to " + after + " (owner only). If other users had access,"
        + " consider the key exposed and give the node a new identity.");
  }

  /**
   * Reads a file holding either string form and validates it.
   *
   * @throws InvalidIdentityFileException if it is corrupt or invalid
   */
  public static Identity readFile(Path file) throws IOException {
    String text;
    try {
      byte[] raw = Files.readAllBytes(file);
      if (raw.length > 4096) {
        throw new InvalidIdentityFileException(file, "too large for an identity (" + raw.length + " bytes)");
      }
      text = new String(raw, StandardCharsets.US_ASCII);
      Arrays.fill(raw, (byte) 0);
    } catch (NoSuchFileException e) {
      throw new InvalidIdentityFileException(file, "does not exist", e);
    }
    Identity id;
    try {
      id = Identity.parse(text);
    } catch (IllegalArgumentException e) {
      // the parser's messages describe structure only, never key material
      throw new InvalidIdentityFileException(file, "not a ZeroTier identity: " + e.getMessage());
    }
    String reason = id.invalidReason();
    if (reason != null) {
      throw new InvalidIdentityFileException(file, "invalid identity: " + reason);
    }
    return id;
  }

  /**
   * Writes the secret form atomically with owner-only permissions, replacing {@code file} if it exists (callers that
   * must not replace check first).
   */
  public static void writeSecretFile(Path file, Identity id) throws IOException {
    byte[] content = id.toSecretString().getBytes(StandardCharsets.US_ASCII);
    try {
      writeAtomically(file, content, true);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  /** Writes the public form atomically (mode 0644 on POSIX). */
  public static void writePublicFile(Path file, Identity id) throws IOException {
    writeAtomically(file, id.toPublicString().getBytes(StandardCharsets.US_ASCII), false);
  }

  private static void writeAtomically(Path file, byte[] content, boolean secret) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    // Created 0600 (POSIX) before anything is written to it; on other systems the temp file is already private to
    // the user's profile directory conventions and we restrict it as far as java.io.File allows.
    Path tmp = posix
        ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(
            OWNER_ONLY))
        : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      if (posix) {
        Files.setPosixFilePermissions(tmp, secret ? OWNER_ONLY : WORLD_READABLE);
      } else if (secret) {
        java.io.File f = tmp.toFile();
        f.setReadable(false, false);
        f.setReadable(true, true);
        f.setWritable(false, false);
        f.setWritable(true, true);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      AtomicFiles.replace(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}

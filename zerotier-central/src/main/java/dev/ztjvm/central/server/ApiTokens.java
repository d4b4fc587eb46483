package dev.ztjvm.central.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** API token generation, storage (owner-only, atomic) and comparison. */
final class ApiTokens {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {}

  /** 24 random lower-case letters and digits, like zerotier-one's {@code authtoken.secret}. */
  static String generate() {
    return randomToken(24);
  }

  private static String randomToken(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /** Central's {@code /randomToken} answer. */
  static Map<String, Object> randomTokenJson(long now) {
    byte[] hex = new byte[32];
    RANDOM.nextBytes(hex);
    String token = randomToken(32);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clock", now);
    m.put("hex", HexFormat.of().formatHex(hex));
    m.put("token", token);
    return m;
  }

  /**
   * Reads the token in {@code file}, or generates one and stores it there first (with
   * {@link #writeOwnerOnly}, so the token is never readable by others nor seen half-written).
   */
  static String loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      String t = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (t.isEmpty()) {
        throw new IOException("token file " + file + " is empty");
      }
      return t;
    }
    String token = generate();
    try {
      writeOwnerOnly(file, ".authtoken", token, false);
    } catch (FileAlreadyExistsException e) {
      return loadOrCreate(file); // another process won the race: use its token
    }
    return token;
  }

  /**
   * Stores {@code content} in {@code file} (creating its directory): written to a temporary file {@code tempPrefix*}
   * beside it, created owner-read/write only (0600 where POSIX permissions exist), then moved into place atomically,
   * so the content is never readable by others nor seen half-written.
   *
   * @param replaceExisting whether an existing {@code file} is replaced; if not, an existing one fails the move with
   *     {@link FileAlreadyExistsException}
   */
  static void writeOwnerOnly(Path file, String tempPrefix, String content, boolean replaceExisting)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, tempPrefix, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      tmp = Files.createTempFile(dir, tempPrefix, ".tmp");
      restrictToOwner(tmp);
    }
    CopyOption[] replace = replaceExisting ? new CopyOption[] {StandardCopyOption.REPLACE_EXISTING} : new CopyOption[0];
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, atomically(replace));
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, replace);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static CopyOption[] atomically(CopyOption[] options) {
    CopyOption[] atomic = Arrays.copyOf(options, options.length + 1);
    atomic[options.length] = StandardCopyOption.ATOMIC_MOVE;
    return atomic;
  }

  private static void restrictToOwner(Path p) {
    java.io.File f = p.toFile();
    f.setReadable(false, false);
    f.setWritable(false, false);
    f.setReadable(true, true);
    f.setWritable(true, true);
  }

  /** Constant-time comparison (the time taken does not tell how much of a guess was right). */
  static boolean matches(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}

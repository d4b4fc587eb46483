package dev.ztjvm.central.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** API token generation, storage (owner-only, atomic) and comparison. */
final class ApiTokens {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {
  }

  /** 24 random lower-case letters and digits, like zerotier-one's {@code authtoken.secret}. */
  static String generate() {
    StringBuilder b = new StringBuilder(24);
    for (int i = 0; i < 24; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /** Central's {@code /randomToken} answer. */
  static Map<String, Object> randomTokenJson(long now) {
    byte[] hex = new byte[32];
    RANDOM.nextBytes(hex);
    StringBuilder token = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      token.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clock", now);
    m.put("hex", HexFormat.of().formatHex(hex));
    m.put("token", token.toString());
    return m;
  }

  /**
   * Reads the token in {@code file}, or generates one and stores it there first: written to a temporary file created
   * owner-read/write only (0600 where POSIX permissions exist), then moved into place atomically, so the token is
   * never readable by others nor seen half-written.
   */
  static String loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      String t = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (t.isEmpty()) {
        throw new IOException("token file " + file + " is empty");
      }
      return t;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    String token = generate();
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, ".authtoken", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      tmp = Files.createTempFile(dir, ".authtoken", ".tmp");
      restrictToOwner(tmp);
    }
    try {
      Files.writeString(tmp, token, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } catch (FileAlreadyExistsException e) {
      return loadOrCreate(file); // another process won the race: use its token
    } finally {
      Files.deleteIfExists(tmp);
    }
    return token;
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

package dev.ztjvm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access to the team's shared test data ({@code ../shared}: known-answer vectors and real captures).
 * The location comes from the {@code zt.shared.dir} system property that the build sets.
 */
public final class SharedData {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final HexFormat HEX = HexFormat.of();

  private SharedData() {}

  /** The shared directory; fails loudly when it is missing, because tests without their data prove nothing. */
  public static Path root() {
    String dir = System.getProperty("zt.shared.dir");
    if (dir == null) {
      dir = "../shared";
    }
    Path p = Path.of(dir).toAbsolutePath().normalize();
    if (!Files.isDirectory(p.resolve("zt-vectors"))) {
      throw new IllegalStateException(
          "Shared test data not found at " + p + " (set -Dzt.shared.dir=/path/to/shared)");
    }
    return p;
  }

  /** A file under {@code zt-vectors/}. */
  public static Path vector(String name) {
    return root().resolve("zt-vectors").resolve(name);
  }

  /** A file or directory under {@code zt-captures/}. */
  public static Path capture(String name) {
    return root().resolve("zt-captures").resolve(name);
  }

  /** Parses a JSON file. */
  public static JsonNode json(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {@code zt-vectors/<name>} as JSON. */
  public static JsonNode vectorJson(String name) {
    return json(vector(name));
  }

  /** Lowercase or uppercase hex to bytes (whitespace ignored). */
  public static byte[] hex(String s) {
    return HEX.parseHex(s.replaceAll("\\s+", ""));
  }

  /** Bytes to lowercase hex. */
  public static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  /** Reads a whole file. */
  public static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.ztjvm.vl2;

import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The ZeroTier 1.x dictionary (spec 7.2): ordered {@code key=value} lines separated by LF, values escaped with
 * backslash. Used for NETWORK_CONFIG_REQUEST metadata and network configs. Keys are kept in insertion order, the
 * first occurrence of a key wins on parse, unknown keys are kept. Not thread-safe.
 *
 * <p>Values are raw bytes; the typed getters and putters use the 1.14 text conventions (unsigned integers as 16
 * lowercase hex digits, booleans as {@code 1}/{@code 0}, addresses as 10 hex digits).
 */
public final class Dictionary {
  /** Capacity of a request-metadata dictionary in 1.x (bytes, including the terminating NUL). */
  public static final int METADATA_CAPACITY = 1024;
  /** Capacity of a network-config dictionary in 1.x: an assembled config must be shorter than this. */
  public static final int NETWORK_CONFIG_CAPACITY = 484_520;

  // Keys are held as ISO-8859-1 strings so every byte value maps to one char and back unchanged.
  private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();

  public Dictionary() {}

  /** An independent copy. */
  public Dictionary copy() {
    Dictionary d = new Dictionary();
    entries.forEach((k, v) -> d.entries.put(k, v.clone()));
    return d;
  }

  /** Parses the whole array. */
  public static Dictionary parse(byte[] data) {
    return parse(data, 0, data.length);
  }

  /**
   * Parses a serialized dictionary. Reading stops at the first NUL byte (as 1.x readers do). Lines without '=', with an
   * empty key, and empty lines are ignored; a repeated key keeps its first value; a trailing lone backslash in a value is dropped.
   *
   * @throws WireFormatException if the range is outside the array
   */
  public static Dictionary parse(byte[] data, int off, int len) {
    if (off < 0 || len < 0 || off + len > data.length) {
      throw new WireFormatException("dictionary: range outside the buffer");
    }
    Dictionary d = new Dictionary();
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (data[i] == 0) {
        end = i;
        break;
      }
    }
    int p = off;
    byte[] scratch = new byte[Math.min(len, 4096)];
    while (p < end) {
      int lineEnd = p;
      while (lineEnd < end && data[lineEnd] != '\n' && data[lineEnd] != '\r') {
        lineEnd++;
      }
      int eq = -1;
      for (int i = p; i < lineEnd; i++) {
        if (data[i] == '=') {
          eq = i;
          break;
        }
      }
      if (eq > p) { // an empty key can never be looked up: skip such lines
        String key = new String(data, p, eq - p, StandardCharsets.ISO_8859_1);
        if (!d.entries.containsKey(key)) {
          int n = 0;
          if (scratch.length < lineEnd - eq) {
            scratch = new byte[lineEnd - eq];
          }
          boolean esc = false;
          for (int i = eq + 1; i < lineEnd; i++) {
            byte c = data[i];
            if (esc) {
              esc = false;
              switch (c) {
                case 'r' -> scratch[n++] = '\r';
                case 'n' -> scratch[n++] = '\n';
                case '0' -> scratch[n++] = 0;
                case 'e' -> scratch[n++] = '=';
                default -> scratch[n++] = c;
              }
            } else if (c == '\\') {
              esc = true;
            } else {
              scratch[n++] = c;
            }
          }
          d.entries.put(key, Arrays.copyOf(scratch, n));
        }
      }
      p = lineEnd + 1;
    }
    return d;
  }

  /** The serialized form: entries joined by LF, no trailing LF, no NUL. */
  public byte[] toBytes() {
    WireWriter out = new WireWriter(256);
    boolean first = true;
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (!first) {
        out.u8('\n');
      }
      first = false;
      out.bytes(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
      out.u8('=');
      for (byte c : e.getValue()) {
        switch (c) {
          case 0 -> out.u8('\\').u8('0');
          case '\r' -> out.u8('\\').u8('r');
          case '\n' -> out.u8('\\').u8('n');
          case '\\' -> out.u8('\\').u8('\\');
          case '=' -> out.u8('\\').u8('e');
          default -> out.u8(c);
        }
      }
    }
    return out.toByteArray();
  }

  /** Serialized size in bytes (without a terminating NUL). */
  public int serializedLength() {
    return toBytes().length;
  }

  /**
   * Whether the serialized form fits a 1.x dictionary of this capacity ({@link #METADATA_CAPACITY},
   * {@link #NETWORK_CONFIG_CAPACITY}), which also needs room for a terminating NUL.
   */
  public boolean fitsIn(int capacity) {
    return serializedLength() < capacity;
  }

  /** Keys in order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  public boolean contains(String key) {
    return entries.containsKey(key);
  }

  public int size() {
    return entries.size();
  }

  public void remove(String key) {
    entries.remove(key);
  }

  /** Raw (unescaped) value bytes, a copy; null when absent. */
  public byte @Nullable [] getBytes(String key) {
    byte[] v = entries.get(key);
    return v == null ? null : v.clone();
  }

  /** Value as text (UTF-8), or empty when absent. */
  public Optional<String> getString(String key) {
    byte[] v = entries.get(key);
    return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
  }

  /** Unsigned hex integer with strtoull semantics, or {@code dflt} when absent or empty. */
  public long getU64(String key, long dflt) {
    byte[] v = entries.get(key);
    if (v == null || v.length == 0) {
      return dflt;
    }
    return parseHex(v, false);
  }

  /** Signed hex integer with strtoll semantics, or {@code dflt} when absent or empty. */
  public long getI64(String key, long dflt) {
    byte[] v = entries.get(key);
    if (v == null || v.length == 0) {
      return dflt;
    }
    return parseHex(v, true);
  }

  /** Boolean: true iff the value starts with '1', 't' or 'T'; {@code dflt} when absent. */
  public boolean getBool(String key, boolean dflt) {
    byte[] v = entries.get(key);
    if (v == null) {
      return dflt;
    }
    return v.length > 0 && (v[0] == '1' || v[0] == 't' || v[0] == 'T');
  }

  /** Sets raw bytes (replacing an existing value in place, or appending). */
  public Dictionary putBytes(String key, byte[] value) {
    checkKey(key);
    entries.put(key, value.clone());
    return this;
  }

  public Dictionary putString(String key, String value) {
    checkKey(key);
    entries.put(key, value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Unsigned 64-bit as exactly 16 lowercase hex digits. */
  public Dictionary putU64(String key, long value) {
    return putString(key, hex16(value));
  }

  /** Signed 64-bit: 16 hex digits of the magnitude, '-' prefixed when negative. */
  public Dictionary putI64(String key, long value) {
    return putString(key, value < 0 ? "-" + hex16(-value) : hex16(value));
  }

  public Dictionary putBool(String key, boolean value) {
    return putString(key, value ? "1" : "0");
  }

  /** A 40-bit ZeroTier address as 10 hex digits. */
  public Dictionary putAddress(String key, long address) {
    String s = Long.toHexString(address & 0xffffffffffL);
    return putString(key, "0000000000".substring(s.length()) + s);
  }

  static String hex16(long v) {
    String s = Long.toHexString(v);
    return "0000000000000000".substring(s.length()) + s;
  }

  private static void checkKey(String key) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("dictionary key must not be empty");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '=' || c == '\r' || c == '\n' || c == 0 || c > 0xff) {
        throw new IllegalArgumentException("illegal character in dictionary key '" + key + "'");
      }
    }
  }

  /** strtoull / strtoll (base 16) semantics: whitespace, sign, optional 0x, digits until the first non-digit. */
  static long parseHex(byte[] v, boolean signed) {
    int i = 0;
    while (i < v.length && (v[i] == ' ' || (v[i] >= 9 && v[i] <= 13))) {
      i++;
    }
    boolean neg = false;
    if (i < v.length && (v[i] == '+' || v[i] == '-')) {
      neg = v[i] == '-';
      i++;
    }
    if (i + 1 < v.length && v[i] == '0' && (v[i + 1] == 'x' || v[i + 1] == 'X') && i + 2 < v.length
        && Character.digit(v[i + 2], 16) >= 0) {
      i += 2;
    }
    long r = 0;
    boolean overflow = false;
    for (; i < v.length; i++) {
      int d = Character.digit(v[i], 16);
      if (d < 0) {
        break;
      }
      if ((r >>> 60) != 0) {
        overflow = true;
      }
      r = (r << 4) | d;
    }
    if (signed) {
      if (overflow || r < 0) {
        return neg ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
      return neg ? -r : r;
    }
    if (overflow) {
      return -1L; // ULLONG_MAX
    }
    return neg ? -r : r;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Dictionary other) || other.entries.size() != entries.size()) {
      return false;
    }
    var a = entries.entrySet().iterator();
    var b = other.entries.entrySet().iterator();
    while (a.hasNext()) {
      var x = a.next();
      var y = b.next();
      if (!x.getKey().equals(y.getKey()) || !Arrays.equals(x.getValue(), y.getValue())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (var e : entries.entrySet()) {
      h = 31 * h + e.getKey().hashCode() * 17 + Arrays.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (var e : entries.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append('=');
      byte[] v = e.getValue();
      boolean text = true;
      for (byte c : v) {
        if (c < 0x20 || c >= 0x7f) {
          text = false;
          break;
        }
      }
      sb.append(text ? new String(v, StandardCharsets.ISO_8859_1) : "<" + v.length + " bytes>");
    }
    return sb.append('}').toString();
  }
}

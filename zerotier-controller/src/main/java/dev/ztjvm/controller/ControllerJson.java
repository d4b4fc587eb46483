package dev.ztjvm.controller;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * The JSON form of controller records ({@code controller.d} files, the controller's HTTP API bodies), read and written
 * with Jackson's streaming API.
 *
 * <p>Values are {@code Map<String, Object>} (insertion ordered), {@code List<Object>}, {@link String}, {@link Long}
 * (integral numbers), {@link Double} (finite only), {@link Boolean} and {@link #NULL}: the same plain shapes a
 * {@link ControllerStore} stores, so that a store needs no JSON library of its own. Output is compact with object keys
 * sorted and strings escaped as nlohmann::json (zerotier-one's JSON library) escapes them, so a record read and written
 * back is byte-identical to the file zerotier-one wrote.
 *
 * <p>Reading rejects, with the offset of the problem: malformed text, trailing text, nesting deeper than {@value
 * #MAX_DEPTH}, {@code NaN}/{@code Infinity} and numbers that do not fit a finite double (zerotier-one could not read
 * them back; {@code 1e999} once made a network unreadable).
 */
public final class ControllerJson {

  /** Deepest nesting of objects and arrays accepted (records are at most 4 deep; rules at most 5). */
  public static final int MAX_DEPTH = 64;

  /** JSON null (the record maps hold no Java nulls, so {@code get} distinguishes "absent" from "null"). */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
          .characterEscapes(new NlohmannEscapes())
          .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
          .build();

  private ControllerJson() {}

  /**
   * Parses one JSON value.
   *
   * @throws IllegalArgumentException naming the problem and its offset ("JSON: … at offset n") if the text is not
   *     valid JSON or holds a non-finite number
   */
  public static Object parse(String text) {
    try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IllegalArgumentException("JSON: unexpected end at offset " + text.length());
      }
      Object v = value(p, t, 0);
      JsonToken after;
      try {
        after = p.nextToken();
      } catch (JacksonException e) {
        throw error("trailing characters", p.currentTokenLocation(), null);
      }
      if (after != null) {
        throw error("trailing characters", p.currentTokenLocation(), null);
      }
      return v;
    } catch (JacksonException e) {
      throw error(e.getOriginalMessage(), e.getLocation(), e);
    }
  }

  /**
   * Parses a JSON object.
   *
   * @throws IllegalArgumentException as {@link #parse}, or if the value is not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("JSON: expected an object");
    }
    return (Map<String, Object>) v;
  }

  private static IllegalArgumentException error(
      @Nullable String what, @Nullable TokenStreamLocation at, @Nullable Throwable cause) {
    String first = what == null ? "malformed" : what.lines().findFirst().orElse(what);
    long offset = at == null ? -1 : at.getCharOffset();
    return new IllegalArgumentException("JSON: " + first + (offset >= 0 ? " at offset " + offset : ""), cause);
  }

  private static Object value(JsonParser p, JsonToken t, int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nesting too deep", p.currentTokenLocation(), null);
    }
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k = p.nextName(); k != null; k = p.nextName()) {
          m.put(k, value(p, p.nextToken(), depth + 1));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(value(p, e, depth + 1));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getString();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return NULL;
      }
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.INT || p.getNumberType() == JsonParser.NumberType.LONG) {
          return p.getLongValue();
        }
        return finite(p, p.getDoubleValue()); // beyond 64 bits: kept as a double, as zerotier-one does
      }
      case VALUE_NUMBER_FLOAT -> {
        return finite(p, p.getDoubleValue());
      }
      default -> throw error("unexpected " + t, p.currentTokenLocation(), null);
    }
  }

  private static Double finite(JsonParser p, double d) {
    if (!Double.isFinite(d)) {
      throw error("number " + p.getText() + " is out of range", p.currentTokenLocation(), null);
    }
    return d;
  }

  // ------------------------------------------------------------------------------------------------ writing

  /**
   * Compact JSON with object keys sorted.
   *
   * @throws IllegalArgumentException if a number in {@code v} is not finite (it could not be read back)
   */
  public static String write(@Nullable Object v) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      write(g, v);
    }
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static void write(JsonGenerator g, @Nullable Object v) {
    if (v == null || v == NULL) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : new TreeMap<>((Map<String, Object>) m).entrySet()) {
        g.writeName(e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("JSON: the number " + d + " cannot be written (not finite)");
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        g.writeNumber((long) d); // zerotier-one writes integral values without a fraction
      } else {
        g.writeNumber(d);
      }
    } else if (v instanceof Number n) {
      g.writeNumber(n.longValue());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      g.writeString(v.toString());
    }
  }

  /**
   * nlohmann::json's escapes: the short forms for backspace, tab, newline, form feed, carriage return, quote and
   * backslash, <code>&#92;u00xx</code> with lowercase hex for the other control characters, nothing else escaped.
   */
  private static final class NlohmannEscapes extends CharacterEscapes {
    private static final int[] CODES = new int[128];
    private static final SerializableString[] CONTROL = new SerializableString[0x20];
    private static final SerializableString QUOTE = new SerializedString("\\\"");
    private static final SerializableString BACKSLASH = new SerializedString("\\\\");

    static {
      for (int c = 0; c < 0x20; c++) {
        CODES[c] = ESCAPE_CUSTOM;
        CONTROL[c] =
            new SerializedString(
                switch (c) {
                  case '\b' -> "\\b";
                  case '\t' -> "\\t";
                  case '\n' -> "\\n";
                  case '\f' -> "\\f";
                  case '\r' -> "\\r";
                  default -> String.format("\\u%04x", c);
                });
      }
      CODES['"'] = ESCAPE_CUSTOM; // Jackson's "standard" escape here would be the 6-character escape
      CODES['\\'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return CODES.clone();
    }

    @Override
    public @Nullable SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case '"' -> QUOTE;
        case '\\' -> BACKSLASH;
        default -> ch < 0x20 ? CONTROL[ch] : null;
      };
    }
  }

  // ------------------------------------------------------------------------------------------------ accessors

  /** The string at {@code k}, or null when absent or not a string. */
  public static @Nullable String str(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof String s ? s : null;
  }

  /** The number at {@code k} (a decimal string counts), or {@code dflt}. */
  public static long num(Map<String, Object> m, String k, long dflt) {
    Object v = m.get(k);
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return dflt;
      }
    }
    return dflt;
  }

  /** The boolean at {@code k} (a number counts: non-zero is true), or {@code dflt}. */
  public static boolean bool(Map<String, Object> m, String k, boolean dflt) {
    Object v = m.get(k);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.longValue() != 0;
    }
    return dflt;
  }

  /** The list at {@code k}, or a new empty list when absent or not a list. */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof List ? (List<Object>) v : new ArrayList<>();
  }

  /** The object at {@code k}, or null when absent or not an object. */
  @SuppressWarnings("unchecked")
  public static @Nullable Map<String, Object> obj(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof Map ? (Map<String, Object>) v : null;
  }

  /** A deep copy of a parsed value. */
  @SuppressWarnings("unchecked")
  public static <T> T copy(T v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> c = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        c.put(e.getKey(), copy(e.getValue()));
      }
      return (T) c;
    }
    if (v instanceof List<?> l) {
      List<Object> c = new ArrayList<>();
      for (Object o : l) {
        c.add(copy(o));
      }
      return (T) c;
    }
    return v;
  }
}

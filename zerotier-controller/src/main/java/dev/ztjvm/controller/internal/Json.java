package dev.ztjvm.controller.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A small JSON codec for the controller's files (no JSON library in the SDK). Values are {@code Map<String, Object>}
 * (insertion ordered), {@code List<Object>}, {@link String}, {@link Long} (integral numbers), {@link Double}, {@link
 * Boolean} and {@link #NULL}. Output is compact with keys sorted, as zerotier-one writes its {@code controller.d} files.
 */
public final class Json {
  /** JSON null (maps cannot hold Java null values comfortably). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private final String s;
  private int p;

  private Json(String s) {
    this.s = s;
  }

  /**
   * Parses one JSON value.
   *
   * @throws IllegalArgumentException with the position and problem if the text is not valid JSON
   */
  public static Object parse(String text) {
    Json j = new Json(text);
    j.ws();
    Object v = j.value(0);
    j.ws();
    if (j.p != text.length()) {
      throw j.error("trailing characters");
    }
    return v;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("JSON: expected an object");
    }
    return (Map<String, Object>) v;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON: " + what + " at offset " + p);
  }

  private void ws() {
    while (p < s.length()) {
      char c = s.charAt(p);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        p++;
      } else {
        break;
      }
    }
  }

  private Object value(int depth) {
    if (depth > 64) {
      throw error("nesting too deep");
    }
    if (p >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(p);
    switch (c) {
      case '{' -> {
        p++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek('}')) {
          p++;
          return m;
        }
        while (true) {
          ws();
          if (!peek('"')) {
            throw error("expected a key");
          }
          String k = string();
          ws();
          expect(':');
          ws();
          m.put(k, value(depth + 1));
          ws();
          if (peek(',')) {
            p++;
            continue;
          }
          expect('}');
          return m;
        }
      }
      case '[' -> {
        p++;
        List<Object> l = new ArrayList<>();
        ws();
        if (peek(']')) {
          p++;
          return l;
        }
        while (true) {
          ws();
          l.add(value(depth + 1));
          ws();
          if (peek(',')) {
            p++;
            continue;
          }
          expect(']');
          return l;
        }
      }
      case '"' -> {
        return string();
      }
      case 't' -> {
        word("true");
        return Boolean.TRUE;
      }
      case 'f' -> {
        word("false");
        return Boolean.FALSE;
      }
      case 'n' -> {
        word("null");
        return NULL;
      }
      default -> {
        return number();
      }
    }
  }

  private boolean peek(char c) {
    return p < s.length() && s.charAt(p) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    p++;
  }

  private void word(String w) {
    if (!s.startsWith(w, p)) {
      throw error("invalid literal");
    }
    p += w.length();
  }

  private String string() {
    p++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (p >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(p++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        if (p >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(p++);
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            if (p + 4 > s.length()) {
              throw error("bad \\u escape");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            p += 4;
          }
          default -> throw error("bad escape");
        }
      } else if (c < 0x20) {
        throw error("control character in string");
      } else {
        b.append(c);
      }
    }
  }

  private Object number() {
    int start = p;
    if (peek('-')) {
      p++;
    }
    boolean integral = true;
    while (p < s.length()) {
      char c = s.charAt(p);
      if (c >= '0' && c <= '9') {
        p++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        p++;
      } else {
        break;
      }
    }
    String t = s.substring(start, p);
    if (t.isEmpty() || t.equals("-")) {
      throw error("unexpected character");
    }
    try {
      if (integral) {
        try {
          return Long.parseLong(t);
        } catch (NumberFormatException big) {
          return Double.parseDouble(t);
        }
      }
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw error("bad number");
    }
  }

  // ------------------------------------------------------------------------------------------------ writing

  /** Compact JSON with object keys sorted. */
  public static String write(@Nullable Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v);
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static void write(StringBuilder b, @Nullable Object v) {
    if (v == null || v == NULL) {
      b.append("null");
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : new TreeMap<>((Map<String, Object>) m).entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        quote(b, e.getKey());
        b.append(':');
        write(b, e.getValue());
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(b, l.get(i));
      }
      b.append(']');
    } else if (v instanceof String str) {
      quote(b, str);
    } else if (v instanceof Double d) {
      if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
        b.append((long) d.doubleValue());
      } else {
        b.append(d);
      }
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else {
      quote(b, v.toString());
    }
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  // ------------------------------------------------------------------------------------------------ accessors

  public static @Nullable String str(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof String s ? s : null;
  }

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

  @SuppressWarnings("unchecked")
  public static List<Object> list(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof List ? (List<Object>) v : new ArrayList<>();
  }

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

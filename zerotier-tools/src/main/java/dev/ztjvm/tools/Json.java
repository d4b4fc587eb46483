package dev.ztjvm.tools;

import java.util.List;

/** Just enough JSON writing for the tools' line output (Jackson is only for the iperf3 protocol). */
final class Json {

  private final StringBuilder sb = new StringBuilder();
  private int depth;
  private boolean first = true;

  Json beginObject() {
    valuePrefix();
    sb.append('{');
    depth++;
    first = true;
    return this;
  }

  Json endObject() {
    depth--;
    newline();
    sb.append('}');
    first = false;
    return this;
  }

  Json beginArray() {
    valuePrefix();
    sb.append('[');
    depth++;
    first = true;
    return this;
  }

  Json endArray() {
    depth--;
    newline();
    sb.append(']');
    first = false;
    return this;
  }

  /** The next member's name (inside an object). */
  Json name(String name) {
    if (!first) {
      sb.append(',');
    }
    newline();
    quote(name);
    sb.append(": ");
    first = true; // the value that follows must not add a separator
    pendingValueAfterName = true;
    return this;
  }

  private boolean pendingValueAfterName;

  Json value(String s) {
    valuePrefix();
    quote(s);
    first = false;
    return this;
  }

  Json value(long v) {
    valuePrefix();
    sb.append(v);
    first = false;
    return this;
  }

  Json value(boolean v) {
    valuePrefix();
    sb.append(v);
    first = false;
    return this;
  }

  Json stringArray(List<String> values) {
    beginArray();
    for (String v : values) {
      value(v);
    }
    return endArray();
  }

  private void valuePrefix() {
    if (pendingValueAfterName) {
      pendingValueAfterName = false;
      return;
    }
    if (!first) {
      sb.append(',');
    }
    if (depth > 0) {
      newline();
    }
  }

  private void newline() {
    sb.append('\n');
    for (int i = 0; i < depth; i++) {
      sb.append("  ");
    }
  }

  private void quote(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}

package dev.ztjvm.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.internal.RuleJson;
import dev.ztjvm.identity.Address;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl2.NetworkId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzz of the controller's record parsing: the network and member files zerotier-one 1.14.1 wrote,
 * with bytes flipped, inserted, deleted and spliced, numbers swapped for extreme ones (1e999, -0, 2^64) and tokens
 * repeated. Invariants per input: the parser returns a value or refuses with a "JSON:" {@link
 * IllegalArgumentException} (nothing else escapes); a value holds no non-finite number, nests no deeper than {@link
 * ControllerJson#MAX_DEPTH} and writes to text that reads back to an equal value (numbers by value) and writes
 * identically again; the
 * rule schema accepts or refuses with an {@link IllegalArgumentException}, and what it accepts compiles to rules.
 * Every 100th input is also stored as a member file: the record reads or is reported unreadable, and a listing
 * accounts for every file (readable + unreadable = files on disk).
 */
class ControllerJsonFuzzTest {

  @TempDir Path tmp;

  @Test
  void hundredThousandRecords() throws Exception {
    fuzz(100_000, 0xc0de_2026L);
  }

  @Tag("fuzz")
  @Test
  void tenMillionRecords() throws Exception {
    fuzz(10_000_000, 0xc0de_2027L);
  }

  private static final String[] TOKENS = {
      "1e999", "-1e999", "NaN", "Infinity", "-0", "18446744073709551616", "1e-400", "0.1", "null", "true", "[]", "{}",
      "\"\\u0000\"", "\"\\ud800\"", "[[[[[[[[", "]]]]", "\"type\":\"MATCH_VLAN_ID\"", "\"vlanId\":70000", ",", ":", "\""
  };

  private void fuzz(int count, long seed) throws Exception {
    Path src = SharedData.capture("controller").resolve("controller.d-final");
    List<String> seeds = new ArrayList<>();
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).toList()) {
        seeds.add(Files.readString(p));
      }
    }
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(2);
    seeds.add("{\"rules\":[{\"type\":\"MATCH_IPV4_DEST\",\"ip\":\"10.0.0.0/8\",\"not\":false,\"or\":false},"
        + "{\"type\":\"ACTION_DROP\"}],\"capabilities\":[{\"id\":1,\"default\":true,\"rules\":[{\"type\":"
        + "\"ACTION_ACCEPT\"}]}],\"tags\":[{\"id\":1,\"default\":null}]}");
    SplittableRandom r = new SplittableRandom(seed);
    long nwid = NetworkId.parse("ea7ca3b1d7000001");
    Path root = tmp.resolve("controller.d");
    ControllerDatabase db = new ControllerDatabase(new FileControllerStore(root), Address.parse("ea7ca3b1d7"));
    db.createNetwork(nwid, e -> e.name("fuzz"));
    Path members = root.resolve("network/ea7ca3b1d7000001/member");
    Files.createDirectories(members);
    int parsed = 0;
    for (int i = 0; i < count; i++) {
      String input = mutate(r, seeds.get(r.nextInt(seeds.size())));
      Object v;
      try {
        v = ControllerJson.parse(input);
        parsed++;
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).as(input).startsWith("JSON:");
        v = null;
      }
      if (v != null) {
        checkValue(v, 0, input);
        String written = ControllerJson.write(v);
        Object back = ControllerJson.parse(written);
        assertThat(sameValue(back, v)).as("%s read back as %s", input, back).isTrue();
        assertThat(ControllerJson.write(back)).as(input).isEqualTo(written);
        if (v instanceof Map<?, ?>) {
          @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
          checkSchema(m, input);
        }
      }
      if (i % 100 == 0) {
        long address = 0x1000000000L + i;
        Files.write(members.resolve(Address.toString(address) + ".json"), input.getBytes(StandardCharsets.UTF_8));
        try {
          db.member(nwid, address);
        } catch (UnreadableRecordException e) {
          assertThat(e.memberAddress()).isEqualTo(address);
        }
      }
    }
    ControllerDatabase.Listing listing = db.members(nwid);
    long files;
    try (Stream<Path> s = Files.list(members)) {
      files = s.count();
    }
    assertThat(listing.records().size() + listing.unreadable().size()).isEqualTo(files);
    assertThat(parsed).as("some mutants parse: the fuzz reaches past the tokenizer").isGreaterThan(count / 20);
  }

  /** Equal, numbers compared by value (an integral double is written, and read back, as an integer). */
  private static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      return x.keySet().equals(y.keySet()) && x.keySet().stream().allMatch(k -> sameValue(x.get(k), y.get(k)));
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!sameValue(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static void checkValue(Object v, int depth, String input) {
    assertThat(depth).as(input).isLessThanOrEqualTo(ControllerJson.MAX_DEPTH);
    if (v instanceof Double d) {
      assertThat(Double.isFinite(d)).as(input).isTrue();
    } else if (v instanceof Map<?, ?> m) {
      for (Object o : m.values()) {
        checkValue(o, depth + 1, input);
      }
    } else if (v instanceof List<?> l) {
      for (Object o : l) {
        checkValue(o, depth + 1, input);
      }
    } else {
      assertThat(v instanceof String || v instanceof Long || v instanceof Boolean || v == ControllerJson.NULL)
          .as("value type %s in %s", v.getClass(), input).isTrue();
    }
  }

  private static void checkSchema(Map<String, Object> m, String input) {
    try {
      RuleSchema.checkNetwork(m, Map.of());
    } catch (IllegalArgumentException refused) {
      return;
    }
    // accepted: the config builder can compile it
    if (m.get("rules") != null) {
      assertThat(RuleJson.fromJsonList(m.get("rules"))).as(input).hasSize(((List<?>) m.get("rules")).size());
    }
    for (Object c : ControllerJson.list(m, "capabilities")) {
      RuleJson.fromJsonList(((Map<?, ?>) c).get("rules"));
    }
  }

  private static String mutate(SplittableRandom r, String s) {
    StringBuilder b = new StringBuilder(s);
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = b.length() == 0 ? 0 : r.nextInt(b.length());
      switch (r.nextInt(7)) {
        case 0 -> {
          if (b.length() > 0) {
            b.setCharAt(at, (char) r.nextInt(128));
          }
        }
        case 1 -> b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
        case 2 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(16)));
        case 3 -> b.setLength(at); // truncation
        case 4 -> { // a number replaced by an extreme one
          int d = indexOfDigit(b, at);
          if (d >= 0) {
            int end = d;
            while (end < b.length() && "0123456789.eE+-".indexOf(b.charAt(end)) >= 0) {
              end++;
            }
            b.replace(d, end, TOKENS[r.nextInt(8)]);
          }
        }
        case 5 -> { // a slice repeated
          int end = Math.min(b.length(), at + r.nextInt(40));
          b.insert(at, b.substring(at, end));
        }
        default -> b.insert(at, (char) (0x80 + r.nextInt(0x2000)));
      }
    }
    return b.toString();
  }

  private static int indexOfDigit(CharSequence s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}

package dev.ztjvm.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ControllerJson: the byte format zerotier-one (nlohmann::json) writes, and what it refuses to read. */
class ControllerJsonTest {

  @Test
  void escapesStringsAsNlohmannJsonDoes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "q\" b\\ /\b\f\n\r\t\u0001\u001f é ☃ \uD83D\uDE00");
    // short escapes for \b \f \n \r \t, lowercase u00xx escapes for the rest, '/' and non-ASCII as they are
    assertThat(ControllerJson.write(m))
        .isEqualTo("{\"s\":\"q\\\" b\\\\ /\\b\\f\\n\\r\\t\\u0001\\u001f é ☃ \uD83D\uDE00\"}");
    assertThat(ControllerJson.parse(ControllerJson.write(m))).isEqualTo(m);
  }

  @Test
  void writesKeysSortedNumbersAsZerotierOneDoes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 1L);
    m.put("a", 2.0);
    m.put("m", -2.5);
    m.put("n", ControllerJson.NULL);
    m.put("l", new ArrayList<>(List.of(true, false, Long.MIN_VALUE)));
    assertThat(ControllerJson.write(m))
        .isEqualTo("{\"a\":2,\"l\":[true,false,-9223372036854775808],\"m\":-2.5,\"n\":null,\"z\":1}");
  }

  @Test
  void refusesNonFiniteNumbersOnReadAndWrite() {
    for (String bad : List.of("{\"rules\":[{\"x\":1e999}]}", "[-1e400]", "[NaN]", "[Infinity]", "[-Infinity]")) {
      assertThatThrownBy(() -> ControllerJson.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("JSON:");
    }
    assertThatThrownBy(() -> ControllerJson.parse("{\"rules\":[{\"x\":1e999}]}"))
        .hasMessageContaining("1e999").hasMessageContaining("out of range").hasMessageContaining("offset");
    assertThatThrownBy(() -> ControllerJson.write(List.of(Double.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
    assertThatThrownBy(() -> ControllerJson.write(List.of(Double.NaN))).isInstanceOf(IllegalArgumentException.class);
    // big but finite numbers are kept
    assertThat(ControllerJson.parse("[1e300, 18446744073709551616]")).isEqualTo(List.of(1e300, 1.8446744073709552e19));
  }

  @Test
  void refusesDeepNestingTrailingTextAndNonObjects() {
    String deep = "[".repeat(ControllerJson.MAX_DEPTH + 2) + "]".repeat(ControllerJson.MAX_DEPTH + 2);
    assertThatThrownBy(() -> ControllerJson.parse(deep)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("JSON:");
    String ok = "[".repeat(ControllerJson.MAX_DEPTH) + "]".repeat(ControllerJson.MAX_DEPTH);
    assertThat(ControllerJson.write(ControllerJson.parse(ok))).isEqualTo(ok);
    assertThatThrownBy(() -> ControllerJson.parse("{} {}")).hasMessageContaining("trailing");
    assertThatThrownBy(() -> ControllerJson.parse("")).hasMessageStartingWith("JSON:");
    assertThatThrownBy(() -> ControllerJson.parseObject("[1]")).hasMessage("JSON: expected an object");
  }
}

package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/migrating-from-libzt.md} complete against the SDK reference the project was given
 * ({@code ../shared/reference/libzt-api.md}): every C function of libzt, every class of its Java binding and every
 * method of its {@code ZeroTierNode}, and every event code must have a row — so a newcomer porting libzt code finds
 * each call they use, even when the answer is "none" or "planned".
 */
class MigrationTableTest {

  private static final Pattern CALL = Pattern.compile("(zts_[a-z0-9_]*[a-z0-9])\\(");
  private static final Pattern BACKTICKED = Pattern.compile("`(zts_[a-z0-9_]*[a-z0-9])`");
  private static final Pattern TYPED_CALL = Pattern.compile("`(?:[a-z_0-9*]+ )+\\*?(zts_[a-z0-9_]*[a-z0-9])\\(");
  private static final Pattern DECLARED_COUNT = Pattern.compile("### 1\\.2 Functions by group \\((\\d+) distinct");

  private static String reference() throws IOException {
    String dir = System.getProperty("zt.shared.dir");
    Path shared = dir != null ? Path.of(dir) : DocsSnippetsTest.repoRoot().resolve("../shared");
    return Files.readString(shared.resolve("reference/libzt-api.md"), StandardCharsets.UTF_8);
  }

  private static String page() throws IOException {
    return Files.readString(DocsSnippetsTest.repoRoot().resolve("docs/migrating-from-libzt.md"),
        StandardCharsets.UTF_8);
  }

  private static String between(String text, String from, String to) {
    int start = text.indexOf(from);
    assertThat(start).as("section '%s'", from).isNotNegative();
    int end = text.indexOf(to, start + from.length());
    assertThat(end).as("end of section '%s' ('%s')", from, to).isPositive();
    return text.substring(start, end);
  }

  /** The first cells of the Markdown table rows in {@code section}. */
  private static List<String> firstCells(String section) {
    List<String> cells = new ArrayList<>();
    for (String line : section.split("\n")) {
      String l = line.strip();
      if (l.startsWith("|") && !l.startsWith("|---")) {
        cells.add(l.substring(1, l.indexOf('|', 1)));
      }
    }
    return cells;
  }

  /** libzt's C functions as the reference lists them in section 1.2, minus the names it says do not exist. */
  static Set<String> libztFunctions(String reference) {
    String functions = between(reference, "### 1.2", "### 1.3");
    Set<String> names = new TreeSet<>();
    for (Pattern p : List.of(CALL, BACKTICKED, TYPED_CALL)) {
      Matcher m = p.matcher(functions);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    names.removeIf(n -> n.endsWith("_t")); // types that appear in signatures
    // "There is **no** `zts_init_set_planet` …, no `zts_simple_*`, … and no `zts_free`": mentioned, not functions.
    Matcher denied = Pattern.compile("(?:\\bno|\\*\\*no\\*\\*) `(zts_[a-z0-9_]*[a-z0-9])`").matcher(functions);
    while (denied.find()) {
      names.remove(denied.group(1));
    }
    return names;
  }

  @Test
  void everyLibztCFunctionHasARow() throws IOException {
    String reference = reference();
    Set<String> functions = libztFunctions(reference);
    Matcher count = DECLARED_COUNT.matcher(reference);
    assertThat(count.find()).as("the reference's declared function count").isTrue();
    assertThat(functions).as("functions read from the reference (it declares %s)", count.group(1))
        .hasSize(Integer.parseInt(count.group(1)))
        .contains("zts_node_free", "zts_bsd_gethostbyname", "zts_util_sign_root_set", "zts_central_node_auth")
        .doesNotContain("zts_free", "zts_init_set_planet");

    String cApi = between(page(), "## C API", "### Events");
    Set<String> rowed = new TreeSet<>();
    for (String cell : firstCells(cApi)) {
      Matcher m = BACKTICKED.matcher(cell);
      while (m.find()) {
        rowed.add(m.group(1));
      }
    }
    String central = between(page() + "\n## end", "### Central API", "\n## ");
    for (String cell : firstCells(central)) {
      Matcher m = BACKTICKED.matcher(cell);
      while (m.find()) {
        rowed.add(m.group(1));
      }
    }
    assertThat(functions).as("libzt functions without a row in docs/migrating-from-libzt.md")
        .allSatisfy(f -> assertThat(rowed).contains(f));
    assertThat(rowed).as("rows naming functions libzt does not have").isSubsetOf(functions);
  }

  @Test
  void everyJavaBindingTypeAndNodeMethodHasARow() throws IOException {
    String binding = between(reference(), "### 3.1 Java binding", "Java-specific defects");
    Set<String> types = new TreeSet<>();
    Matcher t = Pattern.compile("(?m)^\\* `(ZeroTier\\w+)[` ]").matcher(binding);
    while (t.find()) {
      types.add(t.group(1));
    }
    assertThat(types).as("public and package-private types of com.zerotier.sockets").hasSize(11);

    String nodeBullet = between(binding, "* `ZeroTierNode` —", "(No free()");
    Set<String> nodeMethods = new TreeSet<>();
    Matcher m = Pattern.compile("`(?:\\w+ )?(\\w+)\\(").matcher(nodeBullet);
    while (m.find()) {
      nodeMethods.add(m.group(1));
    }
    assertThat(nodeMethods).as("libzt ZeroTierNode methods").contains("initFromStorage", "getMACAddress")
        .hasSizeGreaterThanOrEqualTo(15);

    String table = String.join("\n", firstCells(between(page(), "## Java binding classes", "## C API")));
    assertThat(types).as("libzt Java types without a row").allSatisfy(type -> assertThat(table).containsPattern(
        "\\b" + type + "\\b"));
    assertThat(nodeMethods).as("libzt ZeroTierNode methods without a row")
        .allSatisfy(method -> assertThat(table).containsPattern("\\b" + method + "\\b"));
  }

  @Test
  void everyEventCodeHasARow() throws IOException {
    String events = between(reference(), "### 2.1 Event codes", "### 2.2");
    Set<Integer> codes = new TreeSet<>();
    for (String line : events.split("\n")) {
      String[] cells = line.split("\\|");
      if (cells.length > 3 && cells[1].contains("ZTS_EVENT_")) {
        codes.addAll(numbers(cells[2]));
      }
    }
    assertThat(codes).as("event codes in the reference").contains(200, 217, 230, 234, 251, 263, 274).hasSize(38);

    Set<Integer> rowed = new TreeSet<>();
    for (String cell : firstCells(between(page(), "### Events", "### Central API"))) {
      rowed.addAll(numbers(cell));
    }
    assertThat(codes).as("libzt event codes without a row").allSatisfy(c -> assertThat(rowed).contains(c));
  }

  /** The event codes a cell names: single numbers, {@code a/b}, {@code a / b} and ranges {@code a–b}. */
  private static Set<Integer> numbers(String cell) {
    Set<Integer> out = new TreeSet<>();
    Matcher range = Pattern.compile("\\b(2\\d\\d)\\s*[–-]\\s*(2\\d\\d)\\b").matcher(cell);
    while (range.find()) {
      for (int c = Integer.parseInt(range.group(1)); c <= Integer.parseInt(range.group(2)); c++) {
        out.add(c);
      }
    }
    Matcher single = Pattern.compile("\\b2\\d\\d\\b").matcher(cell);
    while (single.find()) {
      out.add(Integer.parseInt(single.group()));
    }
    return out;
  }
}

package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps {@code docs/configuration.md} honest: its reference tables must list exactly the properties of the
 * {@code META-INF/spring-configuration-metadata.json} that the configuration processor generates for
 * {@code zerotier-spring-boot-autoconfigure} (every {@code zerotier.*} property and the endpoint's
 * {@code management.*} ones), and where the metadata knows a default the page must show the same one.
 */
class ConfigurationReferenceTest {

  /** A reference row: {@code | `property` | type | default | description |}. */
  private static final Pattern ROW =
      Pattern.compile("^\\|\\s*`((?:zerotier|management)\\.[a-z0-9.\\-\\[\\]]+)`\\s*\\|([^|]*)\\|([^|]*)\\|.*$");

  /** Documented properties: name → default cell (backticks removed). */
  static Map<String, String> documented(List<String> page) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : page) {
      Matcher m = ROW.matcher(line.strip());
      if (m.matches()) {
        rows.put(m.group(1), m.group(3).replace("`", "").strip());
      }
    }
    return rows;
  }

  /** Properties of our module's metadata: name → default as text, null when the metadata has none. */
  static Map<String, @Nullable String> metadata(JsonNode root) {
    Map<String, @Nullable String> out = new LinkedHashMap<>();
    for (JsonNode p : root.get("properties")) {
      JsonNode d = p.get("defaultValue");
      out.put(p.get("name").asString(), d == null || d.isNull() || (d.isArray() && d.isEmpty()) ? null
          : d.isArray() ? String.join(",", d.valueStream().map(JsonNode::asString).toList()) : d.asString());
    }
    return out;
  }

  static List<String> problems(Map<String, String> documented, Map<String, @Nullable String> metadata) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, @Nullable String> p : metadata.entrySet()) {
      String doc = documented.get(p.getKey());
      if (doc == null) {
        problems.add(p.getKey() + " is in the metadata but not documented in docs/configuration.md");
      } else if (p.getValue() != null
          && !doc.toLowerCase(Locale.ROOT).equals(p.getValue().toLowerCase(Locale.ROOT))) {
        problems.add(p.getKey() + ": docs/configuration.md says the default is '" + doc + "', the metadata says '"
            + p.getValue() + "'");
      }
    }
    for (String name : documented.keySet()) {
      if (!metadata.containsKey(name)) {
        problems.add(name + " is documented in docs/configuration.md but is not a property (not in the metadata)");
      }
    }
    return problems;
  }

  /** The generated metadata of zerotier-spring-boot-autoconfigure: the one on the class path with a zerotier group. */
  static JsonNode ourMetadata() throws IOException {
    JsonMapper json = JsonMapper.builder().build();
    List<String> seen = new ArrayList<>();
    for (URL url : Collections.list(
        getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
      seen.add(url.toString());
      JsonNode root;
      try (InputStream in = url.openStream()) {
        root = json.readTree(in);
      }
      for (JsonNode group : root.path("groups")) {
        if ("zerotier".equals(group.path("name").asString())) {
          return root;
        }
      }
    }
    throw new AssertionError("no spring-configuration-metadata.json with a 'zerotier' group on the class path (is"
        + " zerotier-spring-boot-autoconfigure a test dependency and its configuration processor on?); found " + seen);
  }

  private static ClassLoader getClassLoader() {
    return ConfigurationReferenceTest.class.getClassLoader();
  }

  @Test
  void configurationPageListsExactlyTheGeneratedProperties() throws IOException {
    List<String> page = Files.readAllLines(DocsSnippetsTest.repoRoot().resolve("docs/configuration.md"),
        StandardCharsets.UTF_8);
    Map<String, @Nullable String> metadata = metadata(ourMetadata());
    assertThat(metadata.keySet()).as("metadata properties").contains("zerotier.network-id", "zerotier.port");
    assertThat(problems(documented(page), metadata)).as("docs/configuration.md against the metadata").isEmpty();
  }

  @Test
  void aMissingAStaleAndAWrongDefaultRowAreReported() throws IOException {
    Map<String, @Nullable String> metadata = metadata(ourMetadata());
    List<String> page = new ArrayList<>();
    metadata.forEach((name, def) -> page.add("| `" + name + "` | x | " + (def == null ? "–" : "`" + def + "`")
        + " | text |"));
    assertThat(problems(documented(page), metadata)).isEmpty();

    page.removeIf(l -> l.startsWith("| `zerotier.port` |"));
    page.add("| `zerotier.no-such-thing` | x | – | text |");
    page.replaceAll(l -> l.startsWith("| `zerotier.startup.timeout` |")
        ? "| `zerotier.startup.timeout` | x | `10s` | text |" : l);
    assertThat(problems(documented(page), metadata)).containsExactlyInAnyOrder(
        "zerotier.port is in the metadata but not documented in docs/configuration.md",
        "zerotier.startup.timeout: docs/configuration.md says the default is '10s', the metadata says '30s'",
        "zerotier.no-such-thing is documented in docs/configuration.md but is not a property (not in the metadata)");
  }
}

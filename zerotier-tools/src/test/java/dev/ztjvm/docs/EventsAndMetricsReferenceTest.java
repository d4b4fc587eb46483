package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.spring.boot.metrics.ZeroTierMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/events-and-metrics.md} honest: its event table lists exactly the record types of the SDK's sealed
 * {@link ZeroTierEvent} (the events the Spring integration publishes), and its meter table exactly the meters {@link ZeroTierMetrics} registers, each row naming
 * every tag key the meter carries.
 */
class EventsAndMetricsReferenceTest {

  private static final Pattern EVENT_ROW = Pattern.compile("^\\|\\s*`ZeroTierEvent\\.(\\w+)`\\s*\\|.*$");
  private static final Pattern METER_ROW = Pattern.compile("^\\|\\s*`(zerotier\\.[a-z.]+)`\\s*\\|(.*)$");

  private static List<String> page() throws IOException {
    return Files.readAllLines(DocsSnippetsTest.repoRoot().resolve("docs/events-and-metrics.md"),
        StandardCharsets.UTF_8);
  }

  @Test
  void everyEventClassHasARowAndEveryRowAnEventClass() throws IOException {
    Set<String> classes = new TreeSet<>();
    for (Class<?> c : ZeroTierEvent.class.getPermittedSubclasses()) {
      classes.add(c.getSimpleName());
    }
    Set<String> rows = new TreeSet<>();
    for (String line : page()) {
      Matcher m = EVENT_ROW.matcher(line.strip());
      if (m.matches()) {
        rows.add(m.group(1));
      }
    }
    assertThat(classes).as("event records").hasSizeGreaterThanOrEqualTo(20);
    assertThat(rows).as("event rows of docs/events-and-metrics.md").isEqualTo(classes);
  }

  @Test
  void everyMeterHasARowNamingItsTagsAndEveryRowAMeter() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new ZeroTierMetrics(idleNode(), List.of(0x8056c2e21c000001L), List.of()).bindTo(registry);
    Map<String, Set<String>> meters = new LinkedHashMap<>();
    for (Meter meter : registry.getMeters()) {
      Set<String> keys = meters.computeIfAbsent(meter.getId().getName(), n -> new LinkedHashSet<>());
      meter.getId().getTags().stream().map(Tag::getKey).forEach(keys::add);
    }
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : page()) {
      Matcher m = METER_ROW.matcher(line.strip());
      if (m.matches()) {
        rows.put(m.group(1), m.group(2));
      }
    }
    List<String> problems = new ArrayList<>();
    meters.forEach((name, keys) -> {
      String row = rows.get(name);
      if (row == null) {
        problems.add("meter " + name + " has no row");
        return;
      }
      for (String key : keys) {
        if (!key.equals("node") && !row.contains("`" + key + "`")) {
          problems.add("row of " + name + " does not name its tag `" + key + "`");
        }
      }
    });
    rows.keySet().stream().filter(r -> !meters.containsKey(r))
        .forEach(r -> problems.add("row " + r + " names no registered meter"));
    assertThat(meters).as("registered meters").containsKey("zerotier.node.online");
    assertThat(problems).isEmpty();
  }

  /** A node that is never started (it would need a planet): enough for the binder to register its meters. */
  private static ZeroTierNode idleNode() {
    return ZeroTierNode.builder().identity(Identity.generate()).build();
  }
}

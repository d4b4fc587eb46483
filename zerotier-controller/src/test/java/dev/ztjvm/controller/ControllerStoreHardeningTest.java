package dev.ztjvm.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.identity.Address;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation, unreadable records, compare-and-swap, locking and temporary files of the file store. */
class ControllerStoreHardeningTest {

  private static final long CONTROLLER = Address.parse("ea7ca3b1d7");

  @TempDir Path tmp;

  private ControllerDatabase db() {
    return new ControllerDatabase(new FileControllerStore(tmp), CONTROLLER);
  }

  private Path networkFile(long nwid) {
    return tmp.resolve("network").resolve(NetworkId.toString(nwid) + ".json");
  }

  private Path memberFile(long nwid, long address) {
    return tmp.resolve("network").resolve(NetworkId.toString(nwid)).resolve("member")
        .resolve(Address.toString(address) + ".json");
  }

  private static Map<String, Object> rule(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void rulesCapabilitiesAndTagsOutsideTheSchemaAreRefusedAndNothingIsSaved() throws Exception {
    ControllerDatabase db = db();
    long nwid = db.createNetwork(e -> e.name("n"));
    byte[] saved = Files.readAllBytes(networkFile(nwid));
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("rules", List.of(rule("x", 1L)));
    bad.put("rules ", List.of(rule("type", "MATCH_NOPE")));
    bad.put("rules  ", List.of(rule("type", "MATCH_VLAN_ID", "vlanId", "x"), rule("type", "ACTION_ACCEPT")));
    bad.put("rules   ", List.of(rule("type", "ACTION_ACCEPT"), rule("type", "MATCH_VLAN_ID", "vlanId", 70000L)));
    bad.put("rules    ", List.of(rule("type", "MATCH_IPV4_SOURCE", "ip", "fd00::/8")));
    bad.put("rules     ", List.of(rule("type", "MATCH_MAC_DEST")));
    bad.put("rules      ", List.of(rule("type", "ACTION_ACCEPT", "not", "yes")));
    bad.put("rules       ", "ACTION_ACCEPT");
    bad.put("capabilities", List.of(rule("rules", List.of())));
    bad.put("capabilities ", List.of(rule("id", 1L, "rules", List.of(rule("type", "BOGUS")))));
    bad.put("tags", List.of(rule("id", -1L)));
    bad.put("tags ", List.of(rule("id", 1L, "default", "high")));
    Map<String, String> expected = Map.ofEntries(
        Map.entry("rules", "rules[0].type: required"),
        Map.entry("rules ", "rules[0].type: unknown rule type \"MATCH_NOPE\""),
        Map.entry("rules  ", "rules[0].vlanId: expected an integer 0..65535, got \"x\""),
        Map.entry("rules   ", "rules[1].vlanId: expected an integer 0..65535, got 70000"),
        Map.entry("rules    ", "rules[0].ip: expected an IPv4 prefix"),
        Map.entry("rules     ", "rules[0].mac: required for MATCH_MAC_DEST"),
        Map.entry("rules      ", "rules[0].not: expected true or false"),
        Map.entry("rules       ", "rules: expected a list"),
        Map.entry("capabilities", "capabilities[0].id: required"),
        Map.entry("capabilities ", "capabilities[0].rules[0].type: unknown rule type"),
        Map.entry("tags", "tags[0].id: expected an integer 0..4294967295, got -1"),
        Map.entry("tags ", "tags[0].default: expected an integer"));
    for (Map.Entry<String, Object> b : bad.entrySet()) {
      String field = b.getKey().strip();
      assertThatThrownBy(() -> db.updateNetwork(nwid, e -> e.json().put(field, b.getValue())))
          .as(b.getKey()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(expected.get(b.getKey()));
      assertThat(Files.readAllBytes(networkFile(nwid))).as(b.getKey()).isEqualTo(saved);
    }
    // what the schema allows is saved
    db.updateNetwork(nwid, e -> e.json().put("rules", List.of(
        rule("type", "MATCH_VLAN_ID", "vlanId", 5L, "not", true), rule("type", "MATCH_ICMP", "icmpType", 8L,
            "icmpCode", ControllerJson.NULL), rule("type", "MATCH_CHARACTERISTICS", "mask", "0000000000000001"),
        rule("type", "ACTION_ACCEPT"))));
    db.updateNetwork(nwid, e -> e.json().put("capabilities", List.of(rule("id", 7L, "default", true, "rules",
        List.of(rule("type", "ACTION_DROP"))))));
    db.updateNetwork(nwid, e -> e.json().put("tags", List.of(rule("id", 1L, "default", 5L), rule("id", 2L))));
    assertThat(ControllerJson.num(db.network(nwid).orElseThrow(), "revision", 0)).isEqualTo(4);
  }

  @Test
  void unreadableRecordsAreSkippedByListingsAndNamed() throws Exception {
    ControllerDatabase db = db();
    long nwid = db.createNetwork(e -> e.name("n"));
    long other = db.createNetwork(e -> e.name("other"));
    long good = Address.parse("1111111111");
    long broken = Address.parse("2222222222");
    db.authorize(nwid, good, true);
    db.authorize(nwid, broken, true);
    Files.writeString(memberFile(nwid, broken), "{\"authorized\":true,\"revision\":Infinity}");
    Files.write(networkFile(other), new byte[] {'{', (byte) 0xff, '}'});

    ControllerDatabase.Listing members = db.members(nwid);
    assertThat(members.records()).containsOnlyKeys(good);
    assertThat(members.unreadable()).singleElement().asString()
        .contains("network " + NetworkId.toString(nwid) + " member 2222222222 is unreadable")
        .contains(memberFile(nwid, broken).toString());
    ControllerDatabase.Listing networks = db.networks();
    assertThat(networks.records()).containsOnlyKeys(nwid);
    assertThat(networks.unreadable()).singleElement().asString()
        .contains("network " + NetworkId.toString(other) + " is unreadable").contains("not UTF-8");
    // the record itself reports what is wrong with it; the others stay editable
    assertThatThrownBy(() -> db.member(nwid, broken)).isInstanceOf(UnreadableRecordException.class)
        .hasMessageContaining("2222222222");
    db.authorize(nwid, good, false);
    assertThat(db.member(nwid, good).orElseThrow()).containsEntry("authorized", false);
  }

  @Test
  void saveIsACompareAndSwapOnTheRevision() throws Exception {
    ControllerDatabase db = db();
    long nwid = db.createNetwork(e -> e.name("n"));
    long a = Address.parse("1111111111");
    db.authorize(nwid, a, true);
    FileControllerStore store = (FileControllerStore) db.store();
    Map<String, Object> m = store.member(nwid, a).orElseThrow();
    assertThat(m).containsEntry("revision", 1L);
    byte[] saved = Files.readAllBytes(memberFile(nwid, a));
    m.put("revision", 2L);
    assertThat(store.saveMember(nwid, a, m, 0)).isFalse();
    assertThat(store.saveMember(nwid, a, m, ControllerStore.ABSENT)).isFalse();
    assertThat(Files.readAllBytes(memberFile(nwid, a))).isEqualTo(saved);
    assertThat(store.saveMember(nwid, a, m, 1)).isTrue();
    assertThat(store.member(nwid, a).orElseThrow()).containsEntry("revision", 2L);
  }

  @Test
  void concurrentWritersThroughSeparateStoresLoseNothing() throws Exception {
    long nwid = db().createNetwork(e -> e.name("n"));
    long a = Address.parse("1111111111");
    int perWriter = 150;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        ControllerDatabase own = db(); // its own store object, as a second process would have
        writers.add(pool.submit(() -> {
          for (int i = 0; i < perWriter; i++) {
            String ip = "10." + writer + "." + (i / 250) + "." + (i % 250 + 1);
            boolean on = i % 2 == 0;
            own.updateMember(nwid, a, m -> m.authorized(on).addIp(IpPrefix.parseIp(ip)));
          }
          return null;
        }));
      }
      for (Future<?> f : writers) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Object> m = db().member(nwid, a).orElseThrow();
    Set<Object> ips = new HashSet<>(ControllerJson.list(m, "ipAssignments"));
    assertThat(ips).hasSize(2 * perWriter);
    assertThat(ControllerJson.num(m, "revision", 0)).isEqualTo(2L * perWriter); // every update added an IP
    assertThat(m).containsEntry("authorized", false); // both writers ended with a deauthorization
  }

  @Test
  void temporaryFilesAreRemovedWhenAWriteFailsAndWhenTheirWriterDied() throws Exception {
    ControllerDatabase db = db();
    long nwid = db.createNetwork(e -> e.name("n"));
    long a = Address.parse("1111111111");
    // the record's name is taken by a non-empty directory: the rename fails after the temporary file was written
    Path blocked = memberFile(nwid, a);
    Files.createDirectories(blocked.resolve("x"));
    assertThatThrownBy(() -> db.authorize(nwid, a, true)).isInstanceOf(java.io.IOException.class);
    try (Stream<Path> s = Files.list(blocked.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("1111111111.json");
    }
    // a temporary file of a process that no longer runs is deleted when a store opens the directory
    long deadPid = new ProcessBuilder("true").start().onExit().get(1, TimeUnit.MINUTES).pid();
    Path stale = networkFile(nwid).resolveSibling(NetworkId.toString(nwid) + ".json.tmp" + deadPid);
    Files.writeString(stale, "");
    db();
    assertThat(stale).doesNotExist();
    assertThat(networkFile(nwid)).exists();
  }
}

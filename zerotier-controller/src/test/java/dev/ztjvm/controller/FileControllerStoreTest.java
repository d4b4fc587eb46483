package dev.ztjvm.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.controller.internal.RuleJson;
import dev.ztjvm.identity.Address;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkId;
import dev.ztjvm.vl2.Rule;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller.d store and its JSON against the files zerotier-one 1.14.1 wrote (zt-captures). */
class FileControllerStoreTest {

  @TempDir Path tmp;

  private static final long NWID = NetworkId.parse("ea7ca3b1d7000001");

  private Path copyCapturedDb() throws Exception {
    Path src = SharedData.capture("controller").resolve("controller.d-final");
    Path dst = tmp.resolve("controller.d");
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return dst;
  }

  @Test
  void readsTheCapturedControllerDirectory() throws Exception {
    FileControllerStore store = new FileControllerStore(copyCapturedDb());
    assertThat(store.networkIds()).containsExactly(NWID);
    assertThat(store.memberAddresses(NWID)).containsExactlyInAnyOrder(
        Address.parse("c28cfc86ce"), Address.parse("13eb7fc337"), Address.parse("70c9bc013a"));
    Map<String, Object> n = store.network(NWID).orElseThrow();
    assertThat(n.get("name")).isEqualTo("ztlab-net");
    assertThat(n.get("private")).isEqualTo(true);
    assertThat(ControllerJson.num(n, "mtu", 0)).isEqualTo(2800);
    assertThat(RuleJson.fromJsonList(n.get("rules"))).containsExactly(Rule.accept());
    Map<String, Object> m = store.member(NWID, Address.parse("c28cfc86ce")).orElseThrow();
    assertThat(m.get("authorized")).isEqualTo(true);
    assertThat(ControllerJson.list(m, "ipAssignments")).containsExactly("10.147.17.11");
  }

  @Test
  void writesCompactSortedJsonByteIdenticalToZerotierOne() throws Exception {
    Path db = copyCapturedDb();
    Path netFile = db.resolve("network").resolve("ea7ca3b1d7000001.json");
    Path memFile = db.resolve("network/ea7ca3b1d7000001/member/c28cfc86ce.json");
    for (Path f : List.of(netFile, memFile)) {
      String original = Files.readString(f);
      assertThat(ControllerJson.write(ControllerJson.parse(original))).isEqualTo(original);
    }
  }

  @Test
  void databaseBumpsRevisionOnlyOnRealChangesAndReportsExternalEdits() throws Exception {
    Path root = copyCapturedDb();
    FileControllerStore store = new FileControllerStore(root);
    ControllerDatabase db = new ControllerDatabase(store, Address.parse("ea7ca3b1d7"));
    assertThat(store.pollExternalChanges()).isEmpty(); // baseline
    long rev = ControllerJson.num(db.network(NWID).orElseThrow(), "revision", -1);
    db.updateNetwork(NWID, e -> e.name("ztlab-net"));
    assertThat(ControllerJson.num(db.network(NWID).orElseThrow(), "revision", -1)).isEqualTo(rev);
    db.updateNetwork(NWID, e -> e.name("renamed"));
    assertThat(ControllerJson.num(db.network(NWID).orElseThrow(), "revision", -1)).isEqualTo(rev + 1);
    assertThat(store.pollExternalChanges()).isEmpty(); // our own save is not "external"

    // another process (a second store on the same directory) authorizes a new member
    ControllerDatabase other = new ControllerDatabase(new FileControllerStore(root), Address.parse("ea7ca3b1d7"));
    long newbie = Address.parse("1122334455");
    other.authorize(NWID, newbie, true);
    Set<ControllerStore.Change> changes = store.pollExternalChanges();
    assertThat(changes).containsExactly(new ControllerStore.Change(NWID, newbie));
    Map<String, Object> m = db.member(NWID, newbie).orElseThrow();
    assertThat(m.get("authorized")).isEqualTo(true);
    assertThat(m.get("lastAuthorizedCredentialType")).isEqualTo("api");
    assertThat(m.get("objtype")).isEqualTo("member");
    assertThat(ControllerJson.num(m, "vMajor", 0)).isEqualTo(-1);
  }

  @Test
  void createsNetworksWithZerotierDefaultsAndRandomSuffix() throws Exception {
    ControllerDatabase db = new ControllerDatabase(new FileControllerStore(tmp), Address.parse("ea7ca3b1d7"));
    long nwid = db.createNetwork(e -> e.name("n1"));
    assertThat(NetworkId.controllerAddress(nwid)).isEqualTo(Address.parse("ea7ca3b1d7"));
    assertThat(nwid & 0xffffff).isNotZero();
    Map<String, Object> n = db.network(nwid).orElseThrow();
    assertThat(n).containsEntry("private", true).containsEntry("enableBroadcast", true)
        .containsEntry("multicastLimit", 32L).containsEntry("mtu", 2800L).containsEntry("revision", 1L)
        .containsEntry("objtype", "network").containsEntry("id", NetworkId.toString(nwid));
    assertThat(tmp.resolve("network").resolve(NetworkId.toString(nwid) + ".json")).exists();
    assertThatThrownBy(() -> db.createNetwork(NetworkId.parse("1234567890000001"), e -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");
  }

  @Test
  void ruleJsonRoundTripsEveryType() {
    List<Rule> rules = List.of(
        Rule.drop(), Rule.accept(), Rule.breakAction(), Rule.tee(0x1122334455L, 0, 64),
        Rule.watch(0x1122334455L, 1, 0), Rule.redirect(0x66778899aaL, 0),
        Rule.matchSourceAddress(0x1234567890L), Rule.matchDestAddress(0x0987654321L).inverted(),
        Rule.matchVlanId(5), Rule.matchVlanPcp(3), Rule.matchVlanDei(1),
        Rule.matchMacSource(MacAddress.parse("02:11:22:33:44:55").value()), Rule.matchMacDest(0x0233445566L),
        Rule.matchIpv4Source((Inet4Address) IpPrefix.parseIp("10.1.0.0"), 16),
        Rule.matchIpv4Dest((Inet4Address) IpPrefix.parseIp("10.2.3.4"), 32).orWithPrevious(),
        Rule.matchIpv6Source((Inet6Address) IpPrefix.parseIp("fd00::"), 8),
        Rule.matchIpv6Dest((Inet6Address) IpPrefix.parseIp("fd00::1"), 128),
        Rule.matchIpTos(0xfc, 8, 16), Rule.matchIpProtocol(6), Rule.matchEthertype(0x0800),
        Rule.matchIcmp(8, 0), Rule.matchSourcePortRange(1000, 2000), Rule.matchDestPortRange(22, 22),
        Rule.matchCharacteristics(Rule.CHAR_TCP_SYN | Rule.CHAR_INBOUND), Rule.matchFrameSizeRange(64, 1500),
        Rule.matchRandom(0x7fffffffL), Rule.matchTag(Rule.MATCH_TAGS_EQUAL, 7, 9),
        Rule.matchTag(Rule.MATCH_TAG_SENDER, 1, 2), Rule.matchIntegerRange(10, 5, 20, 16, true));
    List<Object> json = RuleJson.toJsonList(rules);
    List<Rule> back = RuleJson.fromJsonList(ControllerJson.parse(ControllerJson.write(json)));
    assertThat(back).isEqualTo(rules);
  }

  @Test
  void jsonParserRejectsMalformedTextWithAPosition() {
    for (String bad : List.of("{", "{\"a\":}", "[1,2", "\"abc", "{\"a\" 1}", "tru", "1 2", "{\"a\":\"\\x\"}")) {
      assertThatThrownBy(() -> ControllerJson.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("JSON:");
    }
    assertThat(ControllerJson.parse(" {\"a\": [1, -2.5, \"x\\n\\u0041\", true, null]} ").toString())
        .isEqualTo("{a=[1, -2.5, x\nA, true, null]}");
  }
}

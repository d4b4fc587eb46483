package dev.ztjvm.central;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.internal.Json;
import dev.ztjvm.central.model.ApiToken;
import dev.ztjvm.central.model.AuthMethods;
import dev.ztjvm.central.model.Dns;
import dev.ztjvm.central.model.IpRange;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.MemberConfig;
import dev.ztjvm.central.model.MemberTag;
import dev.ztjvm.central.model.MemberUpdate;
import dev.ztjvm.central.model.Network;
import dev.ztjvm.central.model.NetworkConfig;
import dev.ztjvm.central.model.NetworkSsoConfig;
import dev.ztjvm.central.model.NetworkUpdate;
import dev.ztjvm.central.model.Permissions;
import dev.ztjvm.central.model.RandomToken;
import dev.ztjvm.central.model.Route;
import dev.ztjvm.central.model.Status;
import dev.ztjvm.central.model.User;
import dev.ztjvm.central.model.V4AssignMode;
import dev.ztjvm.central.model.V6AssignMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The records against the example payloads of the Central v1 OpenAPI file: every field maps both ways. */
class ModelMappingTest {
  private static SpecExamples spec;
  private static final JsonMapper MAPPER = Json.newMapper();

  @BeforeAll
  static void loadSpec() throws IOException {
    spec = SpecExamples.centralV1();
  }

  static Stream<Arguments> schemas() {
    return Stream.of(
        Arguments.of("Network", Network.class),
        Arguments.of("NetworkConfig", NetworkConfig.class),
        Arguments.of("NetworkSSOConfig", NetworkSsoConfig.class),
        Arguments.of("Member", Member.class),
        Arguments.of("MemberConfig", MemberConfig.class),
        Arguments.of("User", User.class),
        Arguments.of("Status", Status.class),
        Arguments.of("APIToken", ApiToken.class),
        Arguments.of("RandomToken", RandomToken.class),
        Arguments.of("IPRange", IpRange.class),
        Arguments.of("DNS", Dns.class),
        Arguments.of("Route", Route.class),
        Arguments.of("IPV4AssignMode", V4AssignMode.class),
        Arguments.of("IPV6AssignMode", V6AssignMode.class),
        Arguments.of("Permissions", Permissions.class),
        Arguments.of("AuthMethods", AuthMethods.class));
  }

  /** Reading the example and writing the record back gives the same JSON: no field lost, none renamed. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("schemas")
  void everySpecFieldRoundTrips(String schema, Class<?> type) {
    ObjectNode example = spec.example(schema);
    Object record = MAPPER.treeToValue(example, type);
    JsonNode written = MAPPER.readTree(MAPPER.writeValueAsBytes(record));
    JsonNode expected = MAPPER.readTree(MAPPER.writeValueAsBytes(example));
    List<String> names = new ArrayList<>();
    spec.propertyNames(schema).forEachRemaining(names::add);
    assertThat(written.propertyNames()).as("fields written for %s", schema).containsAll(names);
    assertThat(written).as("round trip of %s", schema).isEqualTo(expected);
  }

  @Test
  void networkExampleValues() {
    Network n = MAPPER.treeToValue(spec.example("Network"), Network.class);
    assertThat(n.id()).isEqualTo("8056c2e21c000001");
    assertThat(n.rulesSource()).isEqualTo("accept;");
    assertThat(n.onlineMemberCount()).isEqualTo(123);
    assertThat(n.authorizedMemberCount()).isEqualTo(200);
    assertThat(n.totalMemberCount()).isEqualTo(250);
    assertThat(n.permissions()).containsKey("00000000-0000-0000-0000-000000000000");
    Permissions p = n.permissions().get("00000000-0000-0000-0000-000000000000");
    assertThat(p).isEqualTo(new Permissions(true, true, true, true));
    NetworkConfig c = n.config();
    assertThat(c.name()).isEqualTo("My ZeroTier Network");
    assertThat(c.isPrivate()).isTrue();
    assertThat(c.mtu()).isEqualTo(2800);
    assertThat(c.multicastLimit()).isEqualTo(32);
    assertThat(c.creationTime()).isEqualTo(1442292672978L);
    assertThat(c.lastModified()).isEqualTo(1588184318235L);
    assertThat(c.ipAssignmentPools()).containsExactly(new IpRange("10.0.0.1", "10.0.0.255"));
    assertThat(c.routes()).hasSize(1);
    assertThat(c.routes().get(0).target()).isEqualTo("10.0.0.0/24");
    assertThat(c.dns()).isEqualTo(new Dns("some.domain", List.of("10.0.0.3")));
    assertThat(c.v4AssignMode()).isEqualTo(new V4AssignMode(true));
    assertThat(c.v6AssignMode()).isEqualTo(new V6AssignMode(true, false, false));
    assertThat(c.ssoConfig().mode()).isEqualTo("default");
    assertThat(c.ssoConfig().issuer()).isEqualTo("https://example.com/oidc");
    assertThat(n.name()).isEqualTo("My ZeroTier Network");
  }

  @Test
  void memberExampleValues() {
    Member m = MAPPER.treeToValue(spec.example("Member"), Member.class);
    assertThat(m.id()).isEqualTo("8056c2e21c000001-abcdef0123");
    assertThat(m.networkId()).isEqualTo("8056c2e21c000001");
    assertThat(m.name()).isEqualTo("my-cray-supercomputer");
    assertThat(m.lastSeen()).isEqualTo(1612993673254L);
    assertThat(m.clientVersion()).isEqualTo("1.6.3");
    assertThat(m.protocolVersion()).isEqualTo(12);
    MemberConfig c = m.config();
    assertThat(c.authorized()).isTrue();
    assertThat(m.isAuthorized()).isTrue();
    assertThat(c.ipAssignments()).containsExactly("10.0.0.3");
    assertThat(c.tags()).containsExactly(new MemberTag(123, 456));
    assertThat(c.lastAuthorizedTime()).isEqualTo(1599853637989L);
    assertThat(c.vMajor()).isEqualTo(1);
    assertThat(c.vMinor()).isEqualTo(6);
    assertThat(c.vRev()).isEqualTo(3);
    assertThat(c.vProto()).isEqualTo(12);
  }

  @Test
  void statusAndUserExampleValues() {
    Status s = MAPPER.treeToValue(spec.example("Status"), Status.class);
    assertThat(s.id()).isEqualTo("central_status");
    assertThat(s.type()).isEqualTo("CentralStatus");
    assertThat(s.apiVersion()).isEqualTo("4");
    assertThat(s.user().displayName()).isEqualTo("Joe User");
    assertThat(s.user().tokens()).containsExactly("my-token-id");
    assertThat(s.user().auth().local()).isEqualTo("user@example.com");
    assertThat(s.loginMethods().oidc()).isTrue();
  }

  @Test
  void unknownFieldsAreIgnoredAndNullsTolerated() {
    String json = """
        {"id":"8056c2e21c000001","someFutureField":{"x":[1,2]},"config":{"name":null,"mtu":null,
         "routes":null,"dns":null,"brandNew":true},"permissions":null,"clock":null}""";
    Network n = MAPPER.readValue(json, Network.class);
    assertThat(n.id()).isEqualTo("8056c2e21c000001");
    assertThat(n.config().name()).isNull();
    assertThat(n.config().routes()).isNull();
    assertThat(n.permissions()).isNull();
    Member empty = MAPPER.readValue("{}", Member.class);
    assertThat(empty.isAuthorized()).isFalse();
  }

  @Test
  void memberTagAcceptsBooleanValues() {
    MemberConfig c = MAPPER.readValue("{\"tags\":[[1,true],[2,false],[3,4294967295]]}", MemberConfig.class);
    assertThat(c.tags()).containsExactly(new MemberTag(1, 1), new MemberTag(2, 0), new MemberTag(3, 4294967295L));
  }

  @Test
  void updatesSendOnlyTheFieldsSet() {
    JsonNode authorize = MAPPER.valueToTree(MemberUpdate.authorize());
    assertThat(authorize.toString()).isEqualTo("{\"config\":{\"authorized\":true}}");
    JsonNode combined = MAPPER.valueToTree(MemberUpdate.named("db-1").withIpAssignments(List.of("10.0.0.9"))
        .withTags(List.of(new MemberTag(100, 2))).withAuthorized(false));
    assertThat(combined.get("name").asString()).isEqualTo("db-1");
    assertThat(combined.get("config").get("authorized").booleanValue()).isFalse();
    assertThat(combined.get("config").get("ipAssignments").toString()).isEqualTo("[\"10.0.0.9\"]");
    assertThat(combined.get("config").get("tags").toString()).isEqualTo("[[100,2]]");
    assertThat(combined.get("config").propertyNames()).containsExactlyInAnyOrder("authorized", "ipAssignments",
        "tags");
    JsonNode network = MAPPER.valueToTree(NetworkUpdate.of(NetworkConfig.builder().name("lab").isPrivate(false)
        .v6AssignMode(new V6AssignMode(true, null, null)).build()).withDescription("d"));
    assertThat(network).isEqualTo(MAPPER.readTree(
        "{\"config\":{\"name\":\"lab\",\"private\":false,\"v6AssignMode\":{\"6plane\":true}},"
            + "\"description\":\"d\"}"));
  }

  @Test
  void secretsAreMaskedInToString() {
    ApiToken token = new ApiToken("ci", "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t");
    assertThat(token.toString()).contains("ci").doesNotContain("s3cr3t");
    RandomToken random = MAPPER.treeToValue(spec.example("RandomToken"), RandomToken.class);
    assertThat(random.toString()).doesNotContain(random.token()).doesNotContain(random.hex());
  }
}

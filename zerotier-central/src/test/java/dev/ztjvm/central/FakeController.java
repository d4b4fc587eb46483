package dev.ztjvm.central;

import dev.ztjvm.central.TestHttpServer.Request;
import dev.ztjvm.central.TestHttpServer.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A zerotier-one local API look-alike seeded with the JSON a real 1.14.1 controller returned
 * ({@code zt-captures/controller/api-snapshot-run1}): checks {@code X-ZT1-Auth}, lists network IDs and the member
 * ID-to-revision map, merges POSTed top-level fields into the flat objects and bumps revisions, and creates networks
 * posted to {@code <node ID>______}.
 */
final class FakeController implements TestHttpServer.Handler {
  static final String AUTH = "y3ehz0fp7n2kq8w5v1xj4rcd";
  static final String CONTROLLER = "ea7ca3b1d7";
  static final String NETWORK = "ea7ca3b1d7000001";

  private static final Pattern NETWORK_PATH = Pattern.compile(
      "/controller/network/([0-9a-f]{10}(?:______|[0-9a-f]{6}))");
  private static final Pattern MEMBERS_PATH = Pattern.compile("/controller/network/([0-9a-f]{16})/member");
  private static final Pattern MEMBER_PATH = Pattern.compile(
      "/controller/network/([0-9a-f]{16})/member/([0-9a-f]{10})");

  private final JsonMapper json = JsonMapper.shared();
  private final Path dir;
  private final ObjectNode controllerStatus;
  private final ObjectNode nodeStatus;
  private final Map<String, ObjectNode> networks = new LinkedHashMap<>();
  private final Map<String, Map<String, ObjectNode>> members = new LinkedHashMap<>();
  private int created;

  FakeController() throws IOException {
    dir = SpecExamples.sharedDir().resolve("zt-captures/controller/api-snapshot-run1");
    controllerStatus = read("controller.json");
    nodeStatus = read("ctl_status.json");
    networks.put(NETWORK, read("controller_network_" + NETWORK + ".json"));
    Map<String, ObjectNode> m = new LinkedHashMap<>();
    for (String id : read("controller_network_" + NETWORK + "_member.json").propertyNames()) {
      m.put(id, read("controller_network_" + NETWORK + "_member_" + id + ".json"));
    }
    members.put(NETWORK, m);
  }

  private ObjectNode read(String file) throws IOException {
    return (ObjectNode) json.readTree(Files.readAllBytes(dir.resolve(file)));
  }

  /** The raw captured file, for comparisons. */
  JsonNode captured(String file) throws IOException {
    return read(file);
  }

  @Override
  public synchronized Response handle(Request r) throws Exception {
    if (!AUTH.equals(r.header("X-ZT1-Auth"))) {
      return Response.json(401, "{}");
    }
    String p = r.path();
    String m = r.method();
    Matcher mm;
    if (p.equals("/controller") && m.equals("GET")) {
      return ok(controllerStatus);
    }
    if (p.equals("/status") && m.equals("GET")) {
      return ok(nodeStatus);
    }
    if (p.equals("/controller/network") && m.equals("GET")) {
      ArrayNode ids = json.createArrayNode();
      networks.keySet().forEach(ids::add);
      return ok(ids);
    }
    if ((mm = MEMBER_PATH.matcher(p)).matches()) {
      Map<String, ObjectNode> nm = members.get(mm.group(1));
      if (nm == null) {
        return Response.json(404, "{}");
      }
      String node = mm.group(2);
      ObjectNode member = nm.get(node);
      switch (m) {
        case "GET":
          return member == null ? Response.json(404, "{}") : ok(member);
        case "POST":
          if (member == null) {
            member = newMember(mm.group(1), node);
            nm.put(node, member);
          }
          member.setAll((ObjectNode) json.readTree(r.body()));
          member.put("revision", member.path("revision").asLong() + 1);
          return ok(member);
        case "DELETE":
          return member == null ? Response.json(404, "{}") : ok(nm.remove(node));
        default:
          return Response.empty(405);
      }
    }
    if ((mm = MEMBERS_PATH.matcher(p)).matches() && m.equals("GET")) {
      Map<String, ObjectNode> nm = members.get(mm.group(1));
      if (nm == null) {
        return Response.json(404, "{}");
      }
      ObjectNode revisions = json.createObjectNode();
      nm.forEach((id, member) -> revisions.put(id, member.path("revision").asLong()));
      return ok(revisions);
    }
    if ((mm = NETWORK_PATH.matcher(p)).matches()) {
      String id = mm.group(1);
      if (id.endsWith("______")) {
        if (!m.equals("POST") || !id.startsWith(CONTROLLER)) {
          return Response.json(400, "{}");
        }
        id = CONTROLLER + String.format("%06x", 0xabc000 + ++created);
        ObjectNode network = read("controller_network_" + NETWORK + ".json");
        network.put("id", id).put("nwid", id).put("name", "").put("revision", 0);
        networks.put(id, network);
        members.put(id, new LinkedHashMap<>());
      }
      ObjectNode network = networks.get(id);
      if (network == null) {
        return Response.json(404, "{}");
      }
      switch (m) {
        case "GET":
          return ok(network);
        case "POST":
          network.setAll((ObjectNode) json.readTree(r.body()));
          network.put("revision", network.path("revision").asLong() + 1);
          return ok(network);
        case "DELETE":
          members.remove(id);
          return ok(networks.remove(id));
        default:
          return Response.empty(405);
      }
    }
    return Response.json(404, "{}");
  }

  private ObjectNode newMember(String nwid, String node) {
    ObjectNode n = json.createObjectNode();
    n.put("id", node).put("address", node).put("nwid", nwid).put("objtype", "member").put("authorized", false)
        .put("activeBridge", false).put("revision", 0).put("vMajor", -1).put("vMinor", -1).put("vRev", -1)
        .put("vProto", -1);
    n.putArray("ipAssignments");
    n.putArray("tags");
    n.putArray("capabilities");
    return n;
  }

  private Response ok(JsonNode body) {
    return Response.json(200, json.writeValueAsString(body));
  }
}

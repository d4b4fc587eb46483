package dev.ztjvm.central;

import dev.ztjvm.central.TestHttpServer.Request;
import dev.ztjvm.central.TestHttpServer.Response;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Central v1 look-alike for tests: checks {@code Authorization: token <TOKEN>} (401 otherwise, echoing the header it
 * got, as a careless server might), serves the spec's example payloads and merges POSTed fields like Central's
 * upserts. One network ({@link #NETWORK}) with one member ({@link #MEMBER}) exists.
 */
final class FakeCentral implements TestHttpServer.Handler {
  static final String TOKEN = "Zt9QkR4vW2mN8xB5cL7pH3jF6dS1aG0e";
  static final String NETWORK = "8056c2e21c000001";
  static final String MEMBER = "abcdef0123";
  static final String USER = "00000000-0000-0000-0000-000000000000";

  private static final Pattern NETWORK_PATH = Pattern.compile("/api/v1/network/([0-9a-f]{16})");
  private static final Pattern MEMBER_PATH = Pattern.compile("/api/v1/network/([0-9a-f]{16})/member/([0-9a-f]{10})");
  private static final Pattern TOKEN_PATH = Pattern.compile("/api/v1/user/([^/]+)/token/([^/]+)");

  private final SpecExamples spec;
  private final JsonMapper json = JsonMapper.shared();
  private ObjectNode network;
  private ObjectNode member;
  private boolean networkDeleted;
  private boolean memberDeleted;

  FakeCentral() throws IOException {
    spec = SpecExamples.centralV1();
    network = spec.example("Network");
    member = spec.example("Member");
    member.put("nodeId", MEMBER);
    ((ObjectNode) member.get("config")).put("id", MEMBER);
  }

  @Override
  public synchronized Response handle(Request r) throws Exception {
    String auth = r.header("Authorization");
    if (!("token " + TOKEN).equals(auth)) {
      return Response.json(401, "{\"message\":\"bad credentials: " + auth + "\"}");
    }
    String p = r.path();
    String m = r.method();
    Matcher mm;
    if (m.equals("GET") && p.equals("/api/v1/status")) {
      return ok(spec.example("Status"));
    }
    if (m.equals("GET") && p.equals("/api/v1/randomToken")) {
      return ok(spec.example("RandomToken"));
    }
    if (p.equals("/api/v1/network")) {
      if (m.equals("GET")) {
        ArrayNode list = json.createArrayNode();
        if (!networkDeleted) {
          list.add(network);
        }
        return ok(list);
      }
      if (m.equals("POST")) {
        ObjectNode created = spec.example("Network");
        created.put("id", "8056c2e21c000002");
        merge(created, json.readTree(r.body()));
        ((ObjectNode) created.get("config")).put("id", "8056c2e21c000002");
        return ok(created);
      }
    }
    if ((mm = MEMBER_PATH.matcher(p)).matches()) {
      if (!mm.group(1).equals(NETWORK) || networkDeleted) {
        return Response.json(404, "{}");
      }
      boolean known = mm.group(2).equals(MEMBER) && !memberDeleted;
      switch (m) {
        case "GET":
          return known ? ok(member) : Response.json(404, "{}");
        case "POST":
          if (!known) {
            member = spec.example("Member");
            member.put("nodeId", mm.group(2));
            memberDeleted = false;
          }
          merge(member, json.readTree(r.body()));
          return ok(member);
        case "DELETE":
          memberDeleted = true;
          return Response.empty(200);
        default:
          return Response.empty(405);
      }
    }
    if (p.equals("/api/v1/network/" + NETWORK + "/member") && m.equals("GET")) {
      ArrayNode list = json.createArrayNode();
      if (!memberDeleted) {
        list.add(member);
      }
      return networkDeleted ? Response.json(404, "{}") : ok(list);
    }
    if ((mm = NETWORK_PATH.matcher(p)).matches()) {
      if (!mm.group(1).equals(NETWORK) || networkDeleted) {
        return Response.json(404, "{}");
      }
      switch (m) {
        case "GET":
          return ok(network);
        case "POST":
          merge(network, json.readTree(r.body()));
          return ok(network);
        case "DELETE":
          networkDeleted = true;
          return Response.empty(200);
        default:
          return Response.empty(405);
      }
    }
    if (p.equals("/api/v1/user/" + USER) && m.equals("GET")) {
      return ok(spec.example("User"));
    }
    if (p.equals("/api/v1/user/" + USER + "/token") && m.equals("POST")) {
      JsonNode body = json.readTree(r.body());
      if (body.path("token").asString("").length() < 32) {
        return Response.json(400, "{}");
      }
      ObjectNode answer = json.createObjectNode();
      answer.put("tokenName", body.path("tokenName").asString());
      return ok(answer);
    }
    if ((mm = TOKEN_PATH.matcher(p)).matches() && m.equals("DELETE")) {
      return mm.group(1).equals(USER) ? Response.empty(200) : Response.json(404, "{}");
    }
    return Response.json(404, "{\"path\":\"" + p + "\"}");
  }

  private Response ok(JsonNode body) {
    return Response.json(200, json.writeValueAsString(body));
  }

  /** Central's upsert: fields sent replace fields stored, objects merged recursively. */
  private static void merge(ObjectNode target, JsonNode update) {
    for (var e : update.properties()) {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else {
        target.set(e.getKey(), e.getValue());
      }
    }
  }
}

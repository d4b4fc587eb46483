package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Identities and captured payloads used by the VL2 tests. */
final class Vl2TestData {
  private Vl2TestData() {}

  static Identity vectorIdentity(String name) {
    return Identity.parse(SharedData.vectorJson("identities.json").get(name).get("secret_string").asString());
  }

  static Identity capturedIdentity(String dir, boolean secret) {
    try {
      String f = secret ? "identity.secret" : "identity.public";
      return Identity.parse(Files.readString(SharedData.capture("identities/" + dir + "/" + f)).trim());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Decoded packets of a capture (jsonl) that have the given verb. */
  static List<JsonNode> capturedPackets(String file, String verb) {
    List<JsonNode> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(SharedData.capture("decoded/" + file))) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = tools.jackson.databind.json.JsonMapper.builder().build().readTree(line);
        if (n.has("verb") && n.get("verb").asString().equals(verb)) {
          out.add(n);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }
}

package dev.ztjvm.central;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Example payloads built from the OpenAPI files in the shared reference data: each property takes its
 * {@code example}; properties without one get a value of the declared type, so every field of a schema is present.
 */
final class SpecExamples {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode spec;

  private SpecExamples(JsonNode spec) {
    this.spec = spec;
  }

  static Path sharedDir() {
    String dir = System.getProperty("zt.shared.dir");
    if (dir == null) {
      throw new IllegalStateException("system property zt.shared.dir is not set (run through Maven)");
    }
    return Path.of(dir);
  }

  static SpecExamples centralV1() throws IOException {
    Path file = sharedDir().resolve("reference/openapi/central-v1.json");
    return new SpecExamples(JsonMapper.shared().readTree(Files.readAllBytes(file)));
  }

  /** The schema object named {@code name}. */
  JsonNode schema(String name) {
    JsonNode s = spec.path("components").path("schemas").path(name);
    if (s.isMissingNode()) {
      throw new IllegalArgumentException("no schema " + name);
    }
    return s;
  }

  /** An example object for schema {@code name} with every property set. */
  ObjectNode example(String name) {
    return (ObjectNode) exampleOf(schema(name), name);
  }

  private JsonNode resolve(JsonNode schema) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asString();
      return schema(ref.substring(ref.lastIndexOf('/') + 1));
    }
    if (schema.has("allOf") && schema.get("allOf").size() == 1) {
      return resolve(schema.get("allOf").get(0));
    }
    return schema;
  }

  private JsonNode exampleOf(JsonNode declared, String propertyName) {
    if (declared.has("example") && !declared.get("example").isNull()) {
      return declared.get("example");
    }
    JsonNode schema = resolve(declared);
    if (schema != declared && schema.has("example")) {
      return schema.get("example");
    }
    if (schema.has("enum")) {
      return schema.get("enum").get(0);
    }
    String type = schema.path("type").asString("object");
    switch (type) {
      case "string":
        return NODES.stringNode("example-" + propertyName);
      case "integer":
        return NODES.numberNode(7);
      case "number":
        return NODES.numberNode(7);
      case "boolean":
        return NODES.booleanNode(true);
      case "array": {
        ArrayNode array = NODES.arrayNode();
        JsonNode items = schema.path("items");
        if (items.has("anyOf")) {
          array.add(NODES.numberNode(1));
        } else if (resolve(items).path("type").asString("").equals("object")
            && !resolve(items).has("properties")) {
          ObjectNode open = NODES.objectNode();
          open.put("type", "ACTION_ACCEPT");
          array.add(open);
        } else {
          array.add(exampleOf(items, propertyName));
        }
        return array;
      }
      default: {
        ObjectNode object = NODES.objectNode();
        JsonNode properties = schema.path("properties");
        if (properties.isObject()) {
          for (Map.Entry<String, JsonNode> p : properties.properties()) {
            object.set(p.getKey(), exampleOf(p.getValue(), p.getKey()));
          }
        } else if (schema.has("additionalProperties")) {
          object.set("00000000-0000-0000-0000-000000000000",
              exampleOf(schema.get("additionalProperties"), propertyName));
        } else {
          object.put("example", propertyName);
        }
        return object;
      }
    }
  }

  /** Names of the properties of schema {@code name}. */
  Iterator<String> propertyNames(String name) {
    return schema(name).path("properties").propertyNames().iterator();
  }
}

package dev.ztjvm.central.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A tag value of a member: the JSON pair {@code [tagId, value]} of {@code MemberConfig.tags}. The spec allows a
 * boolean value; it is read as 1 ({@code true}) or 0 ({@code false}).
 *
 * @param id    tag ID (uint32)
 * @param value tag value (uint32)
 */
public record MemberTag(long id, long value) {

  /** Reads the {@code [id, value]} pair. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static MemberTag fromJson(JsonNode pair) {
    if (!pair.isArray() || pair.size() != 2) {
      throw new IllegalArgumentException("member tag must be a [id, value] pair, got " + pair);
    }
    return new MemberTag(number(pair.get(0)), number(pair.get(1)));
  }

  private static long number(JsonNode node) {
    if (node.isBoolean()) {
      return node.booleanValue() ? 1 : 0;
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    throw new IllegalArgumentException("member tag element must be an integer or boolean, got " + node);
  }

  /** Writes the {@code [id, value]} pair. */
  @JsonValue
  List<Long> toJson() {
    return List.of(id, value);
  }
}

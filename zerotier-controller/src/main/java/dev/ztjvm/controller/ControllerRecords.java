package dev.ztjvm.controller;

import dev.ztjvm.controller.internal.Json;
import java.util.Map;

/**
 * The text form of controller records for stores outside this module: compact JSON with sorted keys, exactly as a
 * {@code controller.d} file holds it (and as zerotier-one writes it).
 */
public final class ControllerRecords {
  private ControllerRecords() {}

  /** The record as {@code controller.d} file content. */
  public static String toJson(Map<String, Object> record) {
    return Json.write(record);
  }

  /**
   * Parses a record.
   *
   * @throws IllegalArgumentException if the text is not a JSON object
   */
  public static Map<String, Object> fromJson(String json) {
    return Json.parseObject(json);
  }

  /** A deep copy of a record (records are mutable maps and lists). */
  public static Map<String, Object> copy(Map<String, Object> record) {
    return Json.copy(record);
  }

  /** A number field of a record, or {@code fallback} when absent or not a number. */
  public static long number(Map<String, Object> record, String key, long fallback) {
    return Json.num(record, key, fallback);
  }

  /** A boolean field of a record, or {@code fallback}. */
  public static boolean bool(Map<String, Object> record, String key, boolean fallback) {
    return Json.bool(record, key, fallback);
  }
}

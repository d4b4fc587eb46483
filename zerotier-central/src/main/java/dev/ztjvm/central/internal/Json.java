package dev.ztjvm.central.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper both API dialects use: lenient on input, omits nulls on output. */
public final class Json {

  private Json() {}

  /**
   * A mapper that ignores unknown fields, reads an empty array as a null object (the self-hosted controller sends
   * {@code "dns": []} when no DNS is set) and leaves {@code null} fields out of requests, so that an update only
   * touches the fields it sets.
   */
  public static JsonMapper newMapper() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT)
        .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
        .build();
  }
}

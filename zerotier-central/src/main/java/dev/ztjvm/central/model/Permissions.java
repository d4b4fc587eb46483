package dev.ztjvm.central.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Permissions of a user on a network or globally ({@code Permissions} in the spec; one-letter keys in JSON).
 *
 * @param authorize may authorize members ({@code a})
 * @param delete    may delete ({@code d})
 * @param modify    may modify network settings ({@code m})
 * @param read      may read network settings ({@code r})
 */
public record Permissions(
    @JsonProperty("a") @Nullable Boolean authorize,
    @JsonProperty("d") @Nullable Boolean delete,
    @JsonProperty("m") @Nullable Boolean modify,
    @JsonProperty("r") @Nullable Boolean read) {}

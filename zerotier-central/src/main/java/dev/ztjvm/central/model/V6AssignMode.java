package dev.ztjvm.central.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * IPv6 address assignment modes ({@code IPV6AssignMode} in the spec).
 *
 * @param sixPlane assign a 6PLANE address ({@code 6plane} in JSON)
 * @param rfc4193  assign an RFC 4193 address
 * @param zt       assign IPv6 addresses from the network's pools
 */
public record V6AssignMode(
    @JsonProperty("6plane") @Nullable Boolean sixPlane,
    @Nullable Boolean rfc4193,
    @Nullable Boolean zt) {}

/**
 * Records for the models of the ZeroTier Central API v1 ({@code Network}, {@code NetworkConfig}, {@code Member},
 * {@code MemberConfig}, {@code Status}, {@code User}, {@code APIToken}, ...), plus the request records that updates
 * take. Every field the API may omit is nullable; unknown JSON fields are ignored. Fields that the specification leaves
 * open (rules, capabilities, tags of a network) are kept as raw Jackson {@link tools.jackson.databind.JsonNode}s.
 */
@NullMarked
package dev.ztjvm.central.model;

import org.jspecify.annotations.NullMarked;

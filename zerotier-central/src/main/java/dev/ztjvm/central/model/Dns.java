package dev.ztjvm.central.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * DNS settings pushed to members ({@code DNS} in the spec).
 *
 * @param domain  search domain
 * @param servers unicast DNS server addresses
 */
public record Dns(@Nullable String domain, @Nullable List<String> servers) {}

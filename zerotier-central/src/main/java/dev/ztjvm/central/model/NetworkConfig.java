package dev.ztjvm.central.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Configuration of a network ({@code NetworkConfig} in the spec). Read-only fields ({@code id}, {@code creationTime},
 * {@code lastModified}) are ignored by the API on updates; use {@link #builder()} to build the writable part of an
 * update, where {@code null} means "leave unchanged".
 *
 * @param id                network ID, 16 hex digits (read-only)
 * @param creationTime      creation time, ms since the epoch (read-only)
 * @param capabilities      capability definitions (raw JSON; the spec leaves them open)
 * @param dns               DNS settings pushed to members
 * @param enableBroadcast   allow broadcast (ff:ff:ff:ff:ff:ff)
 * @param ipAssignmentPools ranges for automatic IP assignment
 * @param lastModified      last modification time, ms since the epoch (read-only)
 * @param mtu               MTU of the virtual interface
 * @param multicastLimit    maximum recipients per multicast or broadcast; 0 disables IPv4 (no ARP)
 * @param name              network name
 * @param isPrivate         {@code true}: members must be authorized; {@code false}: anyone may join
 *                          ({@code private} in JSON)
 * @param routes            managed routes
 * @param rules             compiled flow rules (raw JSON; the spec leaves them open)
 * @param ssoConfig         single sign-on settings
 * @param tags              tag definitions (raw JSON; the spec leaves them open)
 * @param v4AssignMode      IPv4 assignment mode
 * @param v6AssignMode      IPv6 assignment modes
 */
public record NetworkConfig(
    @Nullable String id,
    @Nullable Long creationTime,
    @Nullable List<JsonNode> capabilities,
    @Nullable Dns dns,
    @Nullable Boolean enableBroadcast,
    @Nullable List<IpRange> ipAssignmentPools,
    @Nullable Long lastModified,
    @Nullable Integer mtu,
    @Nullable Integer multicastLimit,
    @Nullable String name,
    @JsonProperty("private") @Nullable Boolean isPrivate,
    @Nullable List<Route> routes,
    @Nullable List<JsonNode> rules,
    @Nullable NetworkSsoConfig ssoConfig,
    @Nullable List<JsonNode> tags,
    @Nullable V4AssignMode v4AssignMode,
    @Nullable V6AssignMode v6AssignMode) {

  /** Returns a builder for the writable fields of a network configuration, all unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder for the writable fields; unset fields stay {@code null} and are left out of requests. */
  public static final class Builder {
    private @Nullable List<JsonNode> capabilities;
    private @Nullable Dns dns;
    private @Nullable Boolean enableBroadcast;
    private @Nullable List<IpRange> ipAssignmentPools;
    private @Nullable Integer mtu;
    private @Nullable Integer multicastLimit;
    private @Nullable String name;
    private @Nullable Boolean isPrivate;
    private @Nullable List<Route> routes;
    private @Nullable List<JsonNode> rules;
    private @Nullable NetworkSsoConfig ssoConfig;
    private @Nullable List<JsonNode> tags;
    private @Nullable V4AssignMode v4AssignMode;
    private @Nullable V6AssignMode v6AssignMode;

    private Builder() {}

    /** Sets the capability definitions (raw JSON). */
    public Builder capabilities(List<JsonNode> value) {
      this.capabilities = List.copyOf(value);
      return this;
    }

    /** Sets the DNS settings. */
    public Builder dns(Dns value) {
      this.dns = value;
      return this;
    }

    /** Enables or disables broadcast. */
    public Builder enableBroadcast(boolean value) {
      this.enableBroadcast = value;
      return this;
    }

    /** Sets the automatic assignment pools. */
    public Builder ipAssignmentPools(List<IpRange> value) {
      this.ipAssignmentPools = List.copyOf(value);
      return this;
    }

    /** Sets the MTU. */
    public Builder mtu(int value) {
      this.mtu = value;
      return this;
    }

    /** Sets the multicast recipient limit (0 disables IPv4). */
    public Builder multicastLimit(int value) {
      this.multicastLimit = value;
      return this;
    }

    /** Sets the network name. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** Makes the network private (members need authorization) or public. */
    public Builder isPrivate(boolean value) {
      this.isPrivate = value;
      return this;
    }

    /** Sets the managed routes. */
    public Builder routes(List<Route> value) {
      this.routes = List.copyOf(value);
      return this;
    }

    /** Sets the compiled rules (raw JSON). */
    public Builder rules(List<JsonNode> value) {
      this.rules = List.copyOf(value);
      return this;
    }

    /** Sets the SSO settings. */
    public Builder ssoConfig(NetworkSsoConfig value) {
      this.ssoConfig = value;
      return this;
    }

    /** Sets the tag definitions (raw JSON). */
    public Builder tags(List<JsonNode> value) {
      this.tags = List.copyOf(value);
      return this;
    }

    /** Sets the IPv4 assignment mode. */
    public Builder v4AssignMode(V4AssignMode value) {
      this.v4AssignMode = value;
      return this;
    }

    /** Sets the IPv6 assignment modes. */
    public Builder v6AssignMode(V6AssignMode value) {
      this.v6AssignMode = value;
      return this;
    }

    /** Builds the configuration; read-only fields are {@code null}. */
    public NetworkConfig build() {
      return new NetworkConfig(null, null, capabilities, dns, enableBroadcast, ipAssignmentPools, null, mtu,
          multicastLimit, name, isPrivate, routes, rules, ssoConfig, tags, v4AssignMode, v6AssignMode);
    }
  }
}

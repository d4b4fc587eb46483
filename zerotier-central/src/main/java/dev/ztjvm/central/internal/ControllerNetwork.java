package dev.ztjvm.central.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ztjvm.central.model.Dns;
import dev.ztjvm.central.model.IpRange;
import dev.ztjvm.central.model.Route;
import dev.ztjvm.central.model.V4AssignMode;
import dev.ztjvm.central.model.V6AssignMode;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A network object as a self-hosted controller reads and writes it: the configuration at the top level, plus the
 * local-only {@code nwid}, {@code objtype}, {@code revision}, flat SSO fields and remote-trace settings. As a request
 * body, {@code null} fields are left out.
 */
record ControllerNetwork(
    @Nullable String id,
    @Nullable String nwid,
    @Nullable String objtype,
    @Nullable String name,
    @Nullable Long creationTime,
    @JsonProperty("private") @Nullable Boolean isPrivate,
    @Nullable Boolean enableBroadcast,
    @Nullable V4AssignMode v4AssignMode,
    @Nullable V6AssignMode v6AssignMode,
    @Nullable Integer mtu,
    @Nullable Integer multicastLimit,
    @Nullable Long revision,
    @Nullable List<Route> routes,
    @Nullable List<IpRange> ipAssignmentPools,
    @Nullable List<JsonNode> rules,
    @Nullable String rulesSource,
    @Nullable List<JsonNode> capabilities,
    @Nullable List<JsonNode> tags,
    @Nullable Dns dns,
    @Nullable Boolean ssoEnabled,
    @Nullable String clientId,
    @Nullable String authorizationEndpoint,
    @Nullable String remoteTraceTarget,
    @Nullable Integer remoteTraceLevel) {}

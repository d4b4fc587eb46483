package dev.ztjvm.central.model;

import org.jspecify.annotations.Nullable;

/**
 * API status ({@code Status} in the spec). From a self-hosted controller: {@code id} is {@code "controller"},
 * {@code type} is {@code "ControllerStatus"}, {@code apiVersion} and {@code clock} come from {@code GET /controller},
 * and the Central-only fields are {@code null}.
 *
 * @param id           {@code central_status} on Central
 * @param type         {@code CentralStatus} on Central
 * @param clock        server time, ms since the epoch
 * @param version      server software version
 * @param apiVersion   API version
 * @param uptime       server uptime
 * @param user         the user owning the API token
 * @param readOnlyMode the service is read-only at the moment
 * @param loginMethods login methods enabled
 */
public record Status(
    @Nullable String id,
    @Nullable String type,
    @Nullable Long clock,
    @Nullable String version,
    @Nullable String apiVersion,
    @Nullable Long uptime,
    @Nullable User user,
    @Nullable Boolean readOnlyMode,
    @Nullable LoginMethods loginMethods) {}

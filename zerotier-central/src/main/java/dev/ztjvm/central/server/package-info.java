/**
 * HTTP API of our embedded controller ({@link dev.ztjvm.controller.ControllerDatabase}): zerotier-one's local
 * {@code /controller/...} API with {@code X-ZT1-Auth} and a Central-compatible {@code /api/v1/network...} subset with
 * {@code Authorization: token ...}, served by Reactor Netty. Entry point: {@link
 * dev.ztjvm.central.server.ControllerApiServer}. The client package {@code dev.ztjvm.central} does not depend on this
 * package or on the SDK.
 */
@NullMarked
package dev.ztjvm.central.server;

import org.jspecify.annotations.NullMarked;

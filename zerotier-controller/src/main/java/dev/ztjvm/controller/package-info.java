/**
 * An embedded ZeroTier network controller (spec 7.8, 7.9 and 9.1): networks and members stored as JSON shaped like
 * zerotier-one's {@code controller.d}, behind {@link dev.ztjvm.controller.ControllerStore}; config requests answered
 * with signed chunks; configs pushed to members when records change.
 */
@NullMarked
package dev.ztjvm.controller;

import org.jspecify.annotations.NullMarked;

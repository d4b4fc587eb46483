/**
 * The sample application: a WebFlux app that serves {@code GET /hello} on its ZeroTier address, using the starter the
 * way a user's application would.
 */
@NullMarked
package dev.ztjvm.sample;

import org.jspecify.annotations.NullMarked;

/** Serving WebFlux over ZeroTier with Reactor Netty. */
@NullMarked
package dev.ztjvm.spring.boot.web;

import org.jspecify.annotations.NullMarked;

/** Auto-configuration binding the reactive Netty server to the node's ZeroTier address. */
@NullMarked
package dev.ztjvm.spring.boot.autoconfigure.web;

import org.jspecify.annotations.NullMarked;

/**
 * Serving a servlet application (Tomcat, Jetty) on the node's ZeroTier address: the container listens on loopback and
 * {@link dev.ztjvm.spring.boot.web.servlet.ZeroTierLoopbackBridge} splices each ZeroTier connection to it;
 * {@link dev.ztjvm.spring.boot.web.servlet.ZeroTierCallerFilter} gives requests their ZeroTier caller.
 */
@NullMarked
package dev.ztjvm.spring.boot.web.servlet;

import org.jspecify.annotations.NullMarked;

/**
 * JMH benchmarks of the Netty transport: Reactor Netty HTTP over ZeroTier between two in-JVM nodes, compared in the
 * same run with the same server on the kernel loopback.
 */
package dev.ztjvm.benchmarks.netty;

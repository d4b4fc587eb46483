/**
 * JMH benchmarks of whole {@link dev.ztjvm.sockets.ZeroTierNode}s: two nodes in one JVM over loopback UDP with
 * ZeroTier's encryption, against JDK loopback sockets in the same run.
 */
@org.jspecify.annotations.NullMarked
package dev.ztjvm.benchmarks.node;

/** JMH benchmarks of the VL2 per-frame paths (flow rules) and config parsing. */
@org.jspecify.annotations.NullMarked
package dev.ztjvm.benchmarks.vl2;

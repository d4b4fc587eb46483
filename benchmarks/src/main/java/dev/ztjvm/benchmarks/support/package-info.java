/** Helpers shared by the benchmarks (not benchmarks themselves). */
@org.jspecify.annotations.NullMarked
package dev.ztjvm.benchmarks.support;

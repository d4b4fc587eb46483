/**
 * JMH benchmarks of the crypto and identity code, each next to a baseline measured in the same run. Results and the
 * command lines are recorded in {@code docs/performance.md}.
 */
@NullMarked
package dev.ztjvm.benchmarks.crypto;

import org.jspecify.annotations.NullMarked;

/** JMH benchmarks of the VL1 packet path (receive: dearmor + parse + dispatch; send: build + armor). */
@NullMarked
package dev.ztjvm.benchmarks.vl1;

import org.jspecify.annotations.NullMarked;

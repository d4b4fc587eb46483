/** JMH benchmarks of the userspace netstack, each compared with the JDK's loopback sockets in the same run. */
package dev.ztjvm.benchmarks.netstack;

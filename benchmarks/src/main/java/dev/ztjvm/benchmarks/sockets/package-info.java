/** JMH benchmarks of the SDK sockets over two in-JVM network stacks, compared with JDK loopback sockets. */
package dev.ztjvm.benchmarks.sockets;

/**
 * JMH benchmarks of the Spring Boot integration: a Spring MVC application served on ZeroTier through the loopback
 * bridge, compared in the same run with the same application on the kernel loopback.
 */
@NullMarked
package dev.ztjvm.benchmarks.spring;

import org.jspecify.annotations.NullMarked;

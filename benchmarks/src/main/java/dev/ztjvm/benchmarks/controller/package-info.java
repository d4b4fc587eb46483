/**
 * Controller benchmarks (main classes, never run by the tests): config-request latency and change propagation with
 * the file store and the PostgreSQL store; command lines in {@code docs/performance.md}.
 */
@NullMarked
package dev.ztjvm.benchmarks.controller;

import org.jspecify.annotations.NullMarked;

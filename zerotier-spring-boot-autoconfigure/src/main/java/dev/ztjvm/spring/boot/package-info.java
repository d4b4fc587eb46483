/** Spring-facing view of a ZeroTier node: the managed node contract and its lifecycle. */
@NullMarked
package dev.ztjvm.spring.boot;

import org.jspecify.annotations.NullMarked;

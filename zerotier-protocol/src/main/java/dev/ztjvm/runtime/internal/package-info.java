/** Helpers the SDK's packages share that are not part of its API. */
@NullMarked
package dev.ztjvm.runtime.internal;

import org.jspecify.annotations.NullMarked;

/** Implementation support of {@code dev.ztjvm.netty}; not an API, may change without notice. */
@NullMarked
package dev.ztjvm.netty.internal;

import org.jspecify.annotations.NullMarked;

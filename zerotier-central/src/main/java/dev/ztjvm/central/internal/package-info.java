/** Implementation details of the Central client: HTTP transport, retry policy, the two API dialects. */
@NullMarked
package dev.ztjvm.central.internal;

import org.jspecify.annotations.NullMarked;

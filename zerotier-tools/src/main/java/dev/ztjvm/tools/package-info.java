/** The {@code zerotier-tools} command line. */
@NullMarked
package dev.ztjvm.tools;

import org.jspecify.annotations.NullMarked;

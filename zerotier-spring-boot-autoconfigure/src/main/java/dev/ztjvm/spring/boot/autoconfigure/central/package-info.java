/** Auto-configuration of the ZeroTier Central API client. */
@NullMarked
package dev.ztjvm.spring.boot.autoconfigure.central;

import org.jspecify.annotations.NullMarked;

/** Auto-configuration of a managed ZeroTier node from zerotier.* properties. */
@NullMarked
package dev.ztjvm.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;

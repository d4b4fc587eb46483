/** Actuator administration of ZeroTier Central or a Central-compatible controller API. */
@NullMarked
package dev.ztjvm.spring.boot.central;

import org.jspecify.annotations.NullMarked;

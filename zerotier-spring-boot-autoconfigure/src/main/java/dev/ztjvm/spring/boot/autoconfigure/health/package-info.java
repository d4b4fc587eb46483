/** Auto-configuration of the zerotier health indicator. */
@NullMarked
package dev.ztjvm.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;

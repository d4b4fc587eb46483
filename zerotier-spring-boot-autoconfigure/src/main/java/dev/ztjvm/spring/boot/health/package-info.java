/** The zerotier health indicator. */
@NullMarked
package dev.ztjvm.spring.boot.health;

import org.jspecify.annotations.NullMarked;

/** Node state changes as Spring application events, usable with @EventListener. */
@NullMarked
package dev.ztjvm.spring.boot.event;

import org.jspecify.annotations.NullMarked;

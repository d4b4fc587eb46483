/**
 * The node's SDK events ({@link dev.ztjvm.sockets.event.ZeroTierEvent} records) as Spring application events, usable
 * with {@code @EventListener} on the record type.
 */
@NullMarked
package dev.ztjvm.spring.boot.event;

import org.jspecify.annotations.NullMarked;

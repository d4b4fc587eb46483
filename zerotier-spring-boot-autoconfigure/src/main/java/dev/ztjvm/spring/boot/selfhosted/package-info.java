/**
 * Self-hosted mode: an in-process root and network controller owned by the application, a network created on first
 * start and kept in the storage directory, and what other nodes need to join it.
 */
@NullMarked
package dev.ztjvm.spring.boot.selfhosted;

import org.jspecify.annotations.NullMarked;

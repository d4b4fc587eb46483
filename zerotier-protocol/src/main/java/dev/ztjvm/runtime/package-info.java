/**
 * The per-node event loop: one thread owns a node's protocol and network-stack state, so the data path needs no
 * locks. Other threads post work to it and, for blocking APIs, wait for the answer.
 */
@NullMarked
package dev.ztjvm.runtime;

import org.jspecify.annotations.NullMarked;

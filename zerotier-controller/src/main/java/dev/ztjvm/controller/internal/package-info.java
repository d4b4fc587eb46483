/** Internals of the embedded controller: a small JSON codec and the rule JSON mapping. */
@NullMarked
package dev.ztjvm.controller.internal;

import org.jspecify.annotations.NullMarked;

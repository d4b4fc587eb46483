/** ArchUnit rules over the compiled classes of every module: layers, internal packages, the netstack's isolation. */
@NullMarked
package dev.ztjvm.architecture;

import org.jspecify.annotations.NullMarked;

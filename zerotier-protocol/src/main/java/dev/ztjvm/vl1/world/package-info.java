/** Worlds (spec section 5): planets and moons, their signatures, update rules and creation of signed root sets. */
@NullMarked
package dev.ztjvm.vl1.world;

import org.jspecify.annotations.NullMarked;

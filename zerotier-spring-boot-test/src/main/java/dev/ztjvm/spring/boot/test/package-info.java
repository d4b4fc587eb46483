/** Test support: an in-process ZeroTier (planet, root, controller) for {@code @SpringBootTest}. */
@NullMarked
package dev.ztjvm.spring.boot.test;

import org.jspecify.annotations.NullMarked;

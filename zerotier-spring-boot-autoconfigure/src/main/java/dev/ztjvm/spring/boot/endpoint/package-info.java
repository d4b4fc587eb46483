/** The zerotier actuator endpoint. */
@NullMarked
package dev.ztjvm.spring.boot.endpoint;

import org.jspecify.annotations.NullMarked;

/** Auto-configuration of the zerotier actuator endpoint. */
@NullMarked
package dev.ztjvm.spring.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;

/** Auto-configuration of self-hosted mode ({@code zerotier.self-hosted.*}). */
@NullMarked
package dev.ztjvm.spring.boot.autoconfigure.selfhosted;

import org.jspecify.annotations.NullMarked;

/**
 * ZeroTier identities (spec section 1): 40-bit {@link dev.ztjvm.identity.Address addresses}, the C25519
 * {@link dev.ztjvm.identity.Identity identity} with its memory-hard proof of work, string and binary forms, and
 * {@link dev.ztjvm.identity.IdentityStore} for {@code identity.secret} / {@code identity.public} files compatible with
 * zerotier-one.
 */
@NullMarked
package dev.ztjvm.identity;

import org.jspecify.annotations.NullMarked;

/**
 * ZeroTier 1.x cryptography: Salsa20 (own implementation), Poly1305 / X25519 / Ed25519 (BouncyCastle low-level
 * classes, never registered as a JCA provider), SHA-512 / HMAC-SHA-384 / AES (JDK), and the ZeroTier
 * constructions on top: the 96-byte signature, key agreement, the KBKDF, AES-GMAC-SIV and packet armor.
 *
 * <p>Packet-path classes ({@link dev.ztjvm.crypto.Salsa20}, {@link dev.ztjvm.crypto.AesGmacSiv},
 * {@link dev.ztjvm.crypto.PacketArmor}) are reusable and not thread-safe: keep one per thread or event loop.
 * They work in place on {@code byte[]} ranges and do not allocate per call except where the JCA forces it.
 */
@NullMarked
package dev.ztjvm.crypto;

import org.jspecify.annotations.NullMarked;

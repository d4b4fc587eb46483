/**
 * Client for the ZeroTier Central API v1 and for a self-hosted controller's local API.
 *
 * <p>Entry points: {@link dev.ztjvm.central.ZeroTierCentralClient#central()} (hosted Central,
 * {@code Authorization: token ...}) and {@link dev.ztjvm.central.ZeroTierCentralClient#selfHosted()}
 * (zerotier-one's {@code /controller} endpoints, {@code X-ZT1-Auth}). Both return the same reactive
 * {@link dev.ztjvm.central.ZeroTierCentralClient} interface mapping into the records of
 * {@link dev.ztjvm.central.model}; {@link dev.ztjvm.central.ZeroTierCentralClient#blocking()} gives a blocking facade.
 * Failures surface as subclasses of {@link dev.ztjvm.central.ZeroTierCentralException}.
 */
@NullMarked
package dev.ztjvm.central;

import org.jspecify.annotations.NullMarked;

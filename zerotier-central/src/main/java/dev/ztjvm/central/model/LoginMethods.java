package dev.ztjvm.central.model;

import org.jspecify.annotations.Nullable;

/**
 * Login methods enabled on the Central instance ({@code Status.loginMethods} in the spec).
 *
 * @param local    built-in e-mail login
 * @param google   Google
 * @param twitter  Twitter
 * @param facebook Facebook
 * @param github   GitHub
 * @param saml     SAML
 * @param oidc     generic OIDC
 */
public record LoginMethods(
    @Nullable Boolean local,
    @Nullable Boolean google,
    @Nullable Boolean twitter,
    @Nullable Boolean facebook,
    @Nullable Boolean github,
    @Nullable Boolean saml,
    @Nullable Boolean oidc) {}

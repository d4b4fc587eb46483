package dev.ztjvm.spring.boot.selfhosted;

import org.jspecify.annotations.Nullable;

/**
 * What a second node needs to join the application's self-hosted network: the planet file (names the root), the
 * network ID, and where to authorize it (the controller API; its token is in {@code tokenFile}, or was configured,
 * and is never part of these details).
 *
 * @param networkId sixteen hex digits
 * @param planetFile path of the planet file to give the second node ({@code planet} in a zerotier-one home, or
 *     {@code zerotier.planet=file:...})
 * @param root the root's UDP address (loopback)
 * @param controllerApiUrl base URL of the zerotier-one compatible API ({@code /controller...}, header
 *     {@code X-ZT1-Auth}), null when not served
 * @param centralApiUrl base URL of the Central-compatible API ({@code /network...}, header
 *     {@code Authorization: token ...}), null when not served
 * @param tokenFile file holding the API token, null when the token was configured or the API is not served
 */
public record SelfHostedJoinDetails(
    String networkId,
    String planetFile,
    String root,
    @Nullable String controllerApiUrl,
    @Nullable String centralApiUrl,
    @Nullable String tokenFile) {

  /** A one-paragraph summary for the log. */
  public String describe() {
    StringBuilder b = new StringBuilder("Self-hosted ZeroTier network ").append(networkId)
        .append(" (root ").append(root).append("). A second node joins with the planet file ").append(planetFile)
        .append(" and network ID ").append(networkId);
    if (controllerApiUrl != null) {
      b.append("; authorize it with the controller API at ").append(controllerApiUrl)
          .append("/controller/network/").append(networkId).append("/member/<node id> (header X-ZT1-Auth) or ")
          .append(centralApiUrl).append("/network/").append(networkId)
          .append("/member/<node id> (header 'Authorization: token ...'), token ")
          .append(tokenFile != null ? "in " + tokenFile : "from zerotier.self-hosted.api.token");
    } else {
      b.append("; the controller API is not served, so only this application can authorize members");
    }
    return b.append('.').toString();
  }
}

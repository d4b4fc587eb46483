package dev.ztjvm.spring.boot.autoconfigure;

import dev.ztjvm.spring.boot.ZeroTierPortInUseException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The node's UDP port is taken: names the port, the likely owner and the way out. */
final class ZeroTierPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<ZeroTierPortInUseException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ZeroTierPortInUseException cause) {
    int port = cause.getPort();
    String which = port < 0 ? "its UDP port" : "UDP port " + port;
    String owner = port == ZeroTierPortInUseException.ZEROTIER_ONE_PORT
        ? " It is ZeroTier One's default port: most likely a zerotier-one service runs on this machine (check with"
            + " 'zerotier-cli info', or 'ss -ulpn sport = :9993')."
        : " Another process holds it (check with 'ss -ulpn sport = :" + Math.max(port, 0) + "'), perhaps another"
            + " instance of this application.";
    return new FailureAnalysis(
        "The ZeroTier node could not bind " + which + ": " + cause.getCause().getMessage() + "." + owner,
        "Set zerotier.port to a free port, or to 0 for a random free one, or stop the process that holds " + which
            + ".",
        cause);
  }
}

package dev.ztjvm.spring.boot.web.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;

/**
 * Gives each request that came through the {@link ZeroTierLoopbackBridge} its ZeroTier caller: {@code
 * getRemoteAddr()}, {@code getRemoteHost()} and {@code getRemotePort()} are the caller's ZeroTier address and port,
 * and the attributes {@link ZeroTierCaller#ATTRIBUTE} and {@link ZeroTierCaller#NODE_ID_ATTRIBUTE} carry the caller
 * and its node ID. A servlet filter (first in the chain) rather than a container hook, so it works the same on every
 * servlet container; only the container's own access log still shows the loopback connection.
 *
 * <p>With {@code rejectOthers} (the container serves only over ZeroTier), a request on a loopback connection the
 * bridge did not open — another process on this host — is answered {@code 403}: the application is reachable over
 * ZeroTier only, as with WebFlux, where the server listens on the ZeroTier address alone. Requests are left alone while
 * the bridge serves nothing (no embedded server, e.g. MockMvc tests).
 */
public final class ZeroTierCallerFilter implements Filter {

  private final ZeroTierLoopbackBridge bridge;
  private final boolean rejectOthers;

  /**
   * @param bridge the bridge whose connections are recognised
   * @param rejectOthers whether requests that did not come through the bridge are refused with 403
   */
  public ZeroTierCallerFilter(ZeroTierLoopbackBridge bridge, boolean rejectOthers) {
    this.bridge = bridge;
    this.rejectOthers = rejectOthers;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!bridge.isServing() || !(request instanceof HttpServletRequest http)) {
      chain.doFilter(request, response);
      return;
    }
    // Async and error dispatches of a request already seen carry its caller (their request may be our wrapper).
    ZeroTierCaller caller = request.getAttribute(ZeroTierCaller.ATTRIBUTE) instanceof ZeroTierCaller known ? known
        : isLoopback(request.getRemoteAddr()) ? bridge.caller(request.getRemotePort()) : null;
    if (caller == null) {
      if (rejectOthers && response instanceof HttpServletResponse httpResponse) {
        httpResponse.sendError(HttpServletResponse.SC_FORBIDDEN,
            "This application is served over ZeroTier only (zerotier.server.enabled=true)");
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    request.setAttribute(ZeroTierCaller.ATTRIBUTE, caller);
    String nodeId = caller.nodeIdString();
    if (nodeId != null) {
      request.setAttribute(ZeroTierCaller.NODE_ID_ATTRIBUTE, nodeId);
    }
    chain.doFilter(new CallerRequest(http, caller), response);
  }

  private static boolean isLoopback(String address) {
    try {
      // A literal from the container: no lookup happens.
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  /** The request as the application sees it: the remote end is the ZeroTier caller. */
  private static final class CallerRequest extends HttpServletRequestWrapper {

    private final ZeroTierCaller caller;

    CallerRequest(HttpServletRequest request, ZeroTierCaller caller) {
      super(request);
      this.caller = caller;
    }

    @Override
    public String getRemoteAddr() {
      return caller.address().getAddress().getHostAddress();
    }

    @Override
    public String getRemoteHost() {
      return getRemoteAddr();
    }

    @Override
    public int getRemotePort() {
      return caller.address().getPort();
    }
  }
}

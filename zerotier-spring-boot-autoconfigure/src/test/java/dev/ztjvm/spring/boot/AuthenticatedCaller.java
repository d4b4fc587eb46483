package dev.ztjvm.spring.boot;

import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;

/** An actuator caller that is authenticated and has the roles it is asked for (or none). */
public record AuthenticatedCaller(boolean hasRoles) implements SecurityContext {

  /** An authenticated caller with every role. */
  public static final SecurityContext ADMIN = new AuthenticatedCaller(true);

  @Override
  public @Nullable Principal getPrincipal() {
    return () -> "admin";
  }

  @Override
  public boolean isUserInRole(String role) {
    return hasRoles;
  }
}

package dev.ztjvm.spring.boot.endpoint;

import java.util.Locale;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the starter's three secrets wherever actuator shows property values ({@code /actuator/configprops},
 * {@code /actuator/env}), also when {@code show-values} reveals the others: {@code zerotier.identity} (the node's
 * private key), {@code zerotier.central.token} and {@code zerotier.self-hosted.api.token}. Keys are compared without
 * separators and case, so the environment variable forms ({@code ZEROTIER_CENTRAL_TOKEN}) are masked too.
 */
public final class ZeroTierSecretsSanitizingFunction implements SanitizingFunction {

  private static final Set<String> SECRETS =
      Set.of("zerotieridentity", "zerotiercentraltoken", "zerotierselfhostedapitoken");

  @Override
  public SanitizableData apply(SanitizableData data) {
    return SECRETS.contains(normalize(data.getKey())) ? data.withSanitizedValue() : data;
  }

  private static String normalize(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (char c : key.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c != '.' && c != '-' && c != '_') {
        out.append(c);
      }
    }
    return out.toString();
  }
}

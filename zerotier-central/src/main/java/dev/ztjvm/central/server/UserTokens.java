package dev.ztjvm.central.server;

import dev.ztjvm.controller.ControllerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The named API tokens of the controller's single local user (Central's {@code /user/{id}/token}): kept in memory,
 * and when a file is given also stored there as a JSON object {@code {name: token}}, written owner-only (0600) and
 * atomically on every change so a crash never leaves a half-written file readable by others.
 */
final class UserTokens {

  /** Token names are path segments; keep them to characters that need no escaping. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._~-]{1,100}");

  /** Central requires at least 32 characters. */
  static final int MIN_TOKEN_LENGTH = 32;

  /** Bounds the file and the per-request comparison work. */
  static final int MAX_TOKENS = 100;

  private final @Nullable Path file;
  private final Map<String, String> tokens = new LinkedHashMap<>();
  private volatile List<String> values = List.of();

  private UserTokens(@Nullable Path file) {
    this.file = file;
  }

  static UserTokens inMemory() {
    return new UserTokens(null);
  }

  /** Tokens stored in {@code file} (loaded now if it exists). */
  static UserTokens stored(Path file) throws IOException {
    UserTokens t = new UserTokens(file);
    if (Files.exists(file)) {
      Map<String, Object> m;
      try {
        m = ControllerJson.parseObject(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IOException("API token file " + file + " is not a JSON object: " + e.getMessage(), e);
      }
      for (Map.Entry<String, Object> e : m.entrySet()) {
        if (!(e.getValue() instanceof String s) || !NAME.matcher(e.getKey()).matches()
            || s.length() < MIN_TOKEN_LENGTH) {
          throw new IOException("API token file " + file + ": bad entry " + e.getKey());
        }
        t.tokens.put(e.getKey(), s);
      }
      t.values = List.copyOf(t.tokens.values());
    }
    return t;
  }

  /** Whether {@code given} is one of the tokens (every token is compared, in constant time each). */
  boolean authenticates(String given) {
    boolean ok = false;
    for (String v : values) {
      ok |= ApiTokens.matches(v, given);
    }
    return ok;
  }

  synchronized List<String> names() {
    return new ArrayList<>(tokens.keySet());
  }

  /** Adds a token; the message of a {@link ControllerApi.BadRequest} says what is wrong with it. */
  synchronized void add(String name, String token) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new ControllerApi.BadRequest("tokenName: 1 to 100 characters of A-Z a-z 0-9 . _ ~ -");
    }
    if (token.length() < MIN_TOKEN_LENGTH || token.isBlank() || !token.strip().equals(token)) {
      throw new ControllerApi.BadRequest("token: at least " + MIN_TOKEN_LENGTH
          + " characters, no leading or trailing white space");
    }
    if (tokens.containsKey(name)) {
      throw new ControllerApi.BadRequest("tokenName: a token named " + name + " already exists");
    }
    if (tokens.size() >= MAX_TOKENS) {
      throw new ControllerApi.BadRequest("at most " + MAX_TOKENS + " API tokens");
    }
    Map<String, String> next = new LinkedHashMap<>(tokens);
    next.put(name, token);
    commit(next);
  }

  /** Removes the token named {@code name}; false if there is none. */
  synchronized boolean remove(String name) throws IOException {
    if (!tokens.containsKey(name)) {
      return false;
    }
    Map<String, String> next = new LinkedHashMap<>(tokens);
    next.remove(name);
    commit(next);
    return true;
  }

  /** Stores first, then changes what authenticates: a failed write changes nothing. */
  private void commit(Map<String, String> next) throws IOException {
    if (file != null) {
      write(file, next);
    }
    tokens.clear();
    tokens.putAll(next);
    values = List.copyOf(tokens.values());
  }

  private static void write(Path file, Map<String, String> content) throws IOException {
    ApiTokens.writeOwnerOnly(
        file, ".apitokens", ControllerJson.write(new LinkedHashMap<String, Object>(content)), true);
  }
}

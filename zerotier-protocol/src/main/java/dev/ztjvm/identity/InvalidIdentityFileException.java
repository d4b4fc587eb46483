package dev.ztjvm.identity;

import java.io.IOException;
import java.nio.file.Path;

/** An identity file that is unreadable as an identity, fails validation, or contradicts its companion file. */
public final class InvalidIdentityFileException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public InvalidIdentityFileException(Path file, String reason) {
    super(file + ": " + reason);
    this.file = file;
  }

  public InvalidIdentityFileException(Path file, String reason, Throwable cause) {
    super(file + ": " + reason, cause);
    this.file = file;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }
}

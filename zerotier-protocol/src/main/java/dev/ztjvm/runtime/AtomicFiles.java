package dev.ztjvm.runtime;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The last step of every "write a temporary file, then put it in place" in the node's storage. */
public final class AtomicFiles {

  private AtomicFiles() {}

  /**
   * Moves {@code tmp} over {@code target}: atomically where the file system can, so that a reader (or a crash)
   * sees the old or the new content, never a mix; else by a plain replacing move.
   */
  public static void replace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}

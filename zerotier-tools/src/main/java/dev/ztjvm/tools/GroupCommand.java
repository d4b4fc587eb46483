package dev.ztjvm.tools;

import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: run on its own, it is a usage error (exit status 2 with usage). */
abstract class GroupCommand implements Runnable {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public final void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }
}

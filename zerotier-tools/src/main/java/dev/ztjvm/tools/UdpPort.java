package dev.ztjvm.tools;

import picocli.CommandLine.Option;

/** The embedded node's UDP port option, {@code --port} (see {@link NodeOptions}). */
final class UdpPort {
  @Option(names = "--port", paramLabel = "<udp>", description = "UDP port of the node (default random)") int port;
}

package io.devicelogin.cli.agent;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The other end of a Unix domain connection must be the user who owns the socket's directory. The
 * directory's mode already keeps others out; this second check (SO_PEERCRED) holds even if the mode
 * was loosened by hand.
 */
final class AgentPeer {
  private AgentPeer() {}

  static void requireSameUser(SocketChannel channel, Path privateDir) throws IOException {
    if (!PrivateDirectory.posix()) {
      return;
    }
    UnixDomainPrincipal peer;
    try {
      peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    } catch (UnsupportedOperationException e) {
      return; // A platform without peer credentials: the directory's mode is the protection.
    }
    UserPrincipal owner = Files.getOwner(privateDir);
    if (!peer.user().equals(owner)) {
      throw new PeerRefused(
          "the other end of "
              + privateDir
              + " is user "
              + peer.user().getName()
              + ", not "
              + owner.getName());
    }
  }

  /** A connection from or to another user. */
  static final class PeerRefused extends IOException {
    private static final long serialVersionUID = 1L;

    PeerRefused(String message) {
      super(message);
    }
  }
}

package io.jasynq.internal.server;

import java.net.InetAddress;
import java.util.UUID;

/** Host, process ID and server ID: the {@code {host:pid:sid}} of the server's Redis keys. */
public record ServerIdentity(String host, int pid, String serverId) {
  /** This process, with a fresh server ID. */
  public static ServerIdentity current() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    return new ServerIdentity(
        host, (int) ProcessHandle.current().pid(), UUID.randomUUID().toString());
  }

  /** A short tag for thread names. */
  public String tag() {
    return serverId.substring(0, 8);
  }
}

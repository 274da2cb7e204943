package io.jasynq.internal.runtime;

import java.net.InetAddress;
import java.util.UUID;

/**
 * Host, process ID and a fresh ID: the {@code {host:pid:id}} of a server's or a scheduler's Redis
 * keys.
 */
public record ProcessIdentity(String host, int pid, String id) {
  /** This process, with a fresh ID. */
  public static ProcessIdentity current() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    return new ProcessIdentity(
        host, (int) ProcessHandle.current().pid(), UUID.randomUUID().toString());
  }

  /** A short tag for thread names. */
  public String tag() {
    return id.substring(0, 8);
  }
}

package io.jasynq.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code CLIENT LIST}: a connection the Redis server currently has open.
 *
 * @param id the server-assigned client id
 * @param addr the client's address and port, e.g. {@code 127.0.0.1:51234}
 * @param name the client name ({@code CLIENT SETNAME}), empty if none
 * @param age seconds since the connection was opened
 * @param cmd the last command the client ran, e.g. {@code client|list} or {@code NULL}
 * @param fields every {@code key=value} pair of the line, in server order (unmodifiable)
 * @since 0.1.0
 */
public record ClientConnection(
    long id, String addr, String name, long age, String cmd, Map<String, String> fields) {

  /**
   * Validates and copies the fields.
   *
   * @param id the server-assigned client id
   * @param addr the client's address and port
   * @param name the client name, empty if none
   * @param age seconds since the connection was opened
   * @param cmd the last command the client ran
   * @param fields every {@code key=value} pair of the line
   * @throws NullPointerException if a string or the map is null
   */
  public ClientConnection {
    Objects.requireNonNull(addr, "addr == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(cmd, "cmd == null");
    fields = Map.copyOf(Objects.requireNonNull(fields, "fields == null"));
  }

  /**
   * A one-line summary for failure messages.
   *
   * @return {@code addr=... name=... age=...s cmd=...}
   */
  public String describe() {
    return "addr="
        + addr
        + " name="
        + (name.isEmpty() ? "(none)" : name)
        + " age="
        + age
        + "s cmd="
        + cmd;
  }

  /** Parses the reply of {@code CLIENT LIST}: one client per line, space-separated pairs. */
  static List<ClientConnection> parseList(String reply) {
    List<ClientConnection> connections = new ArrayList<>();
    for (String line : reply.split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (String pair : line.trim().split(" ")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          fields.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
      }
      connections.add(
          new ClientConnection(
              parseLong(fields.get("id")),
              fields.getOrDefault("addr", ""),
              fields.getOrDefault("name", ""),
              parseLong(fields.get("age")),
              fields.getOrDefault("cmd", ""),
              fields));
    }
    return connections;
  }

  private static long parseLong(@Nullable String value) {
    try {
      return value == null ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

package io.jasynq.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A blocking RESP2 connection over a plain socket, just enough to probe and shut down a
 * redis-server without starting Lettuce's event loops. Confined to the calling thread. Public for
 * {@code jasynq-testkit}'s topology control; not a Redis client for apps.
 */
public final class Resp implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private Resp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to 127.0.0.1:port; {@code timeout} bounds both the connect and each read.
   *
   * @param port the port
   * @param timeout the connect and read timeout
   * @return an open connection; the caller closes it
   * @throws IOException if the connection fails
   */
  public static Resp connect(int port, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      int millis = Math.toIntExact(timeout.toMillis());
      socket.setSoTimeout(millis);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
      return new Resp(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * True if a redis-server answers PING on the port and reports {@code pid} as its process id, so a
   * foreign server that grabbed the port is never mistaken for ours.
   *
   * @param port the port
   * @param password the password, or null
   * @param pid the expected process id
   * @return whether that server answers as itself
   */
  public static boolean answersAs(int port, String password, long pid) {
    try (Resp resp = connect(port, Duration.ofMillis(500))) {
      if (password != null) {
        resp.call("AUTH", password);
      }
      if (!"PONG".equals(resp.call("PING"))) {
        return false;
      }
      String info = resp.call("INFO", "server");
      return info != null && info.contains("process_id:" + pid + "\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends {@code SHUTDOWN NOSAVE}. The server closes the connection instead of replying, so an end
   * of stream counts as success; an error reply is thrown.
   *
   * @param port the port
   * @param password the password, or null
   * @throws IOException if the server cannot be reached or refuses
   */
  public static void shutdownNoSave(int port, String password) throws IOException {
    try (Resp resp = connect(port, Duration.ofSeconds(2))) {
      if (password != null) {
        resp.call("AUTH", password);
      }
      try {
        String reply = resp.call("SHUTDOWN", "NOSAVE");
        throw new IOException("SHUTDOWN NOSAVE answered " + reply);
      } catch (EOFException expected) {
        // The server went away mid-reply: it is shutting down.
      }
    }
  }

  /**
   * Sends one command; returns a simple, bulk or integer reply as text (null for a nil).
   *
   * @param args the command and its arguments
   * @return the reply
   * @throws IOException on an error reply or a broken connection
   */
  public @Nullable String call(String... args) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      request.writeBytes(bytes);
      request.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(request.toByteArray());
    out.flush();
    return readReply();
  }

  private @Nullable String readReply() throws IOException {
    String line = readLine();
    if (line.isEmpty()) {
      throw new IOException("empty reply line");
    }
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+':
      case ':':
        return rest;
      case '-':
        throw new IOException("Redis error: " + rest);
      case '$':
        int length = Integer.parseInt(rest);
        if (length < 0) {
          return null;
        }
        byte[] body = in.readNBytes(length + 2);
        if (body.length != length + 2) {
          throw new EOFException("bulk reply cut short");
        }
        return new String(body, 0, length, StandardCharsets.UTF_8);
      default:
        throw new IOException("unsupported reply type '" + type + "'");
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int next = in.read();
      if (next < 0) {
        throw new EOFException("connection closed by server");
      }
      if (previous == '\r' && next == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(next);
      previous = next;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

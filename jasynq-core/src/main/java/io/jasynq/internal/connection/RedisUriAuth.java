package io.jasynq.internal.connection;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;

/**
 * The peer check and the credentials of one Lettuce {@link RedisURI}, written once for a server, a
 * cluster seed node and a sentinel: with TLS the peer is verified fully or not at all, and a
 * password goes with the ACL user when there is one.
 */
final class RedisUriAuth {
  private RedisUriAuth() {}

  /**
   * Sets on {@code b} the peer check ({@code tls} only) and the credentials: {@code username} with
   * {@code password}, or {@code password} alone; nothing when there is no password.
   */
  static void apply(
      RedisURI.Builder b, boolean tls, boolean verifyPeer, String username, char[] password) {
    if (tls) {
      b.withVerifyPeer(verifyPeer ? SslVerifyMode.FULL : SslVerifyMode.NONE);
    }
    if (password != null && username != null) {
      b.withAuthentication(username, password);
    } else if (password != null) {
      b.withPassword(password);
    }
  }
}

package io.jasynq.cli;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.redis.RedisConnector;
import org.jspecify.annotations.Nullable;

/**
 * The Redis objects one command uses, created on first use from the global options and closed
 * together, newest first, when the command ends. Confined to the command's thread.
 */
final class Session implements AutoCloseable {
  private final GlobalOptions options;
  private final Environment env;
  private @Nullable RedisConnector connector;
  private @Nullable Inspector inspector;
  private @Nullable Client client;

  Session(GlobalOptions options, Environment env) {
    this.options = options;
    this.env = env;
  }

  RedisConnector connector() {
    if (connector == null) {
      connector = options.connector(env);
    }
    return connector;
  }

  /** Whether the options name a Redis Cluster ({@code --cluster}, config, cluster URI). */
  boolean isCluster() {
    return options.isCluster(env);
  }

  Inspector inspector() {
    if (inspector == null) {
      inspector = Inspector.builder().connector(connector()).clock(env.clock()).build();
    }
    return inspector;
  }

  Client client() {
    if (client == null) {
      client = Client.builder().connector(connector()).clock(env.clock()).build();
    }
    return client;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    if (inspector != null) {
      inspector.close();
    }
    if (connector != null) {
      connector.close();
    }
  }
}

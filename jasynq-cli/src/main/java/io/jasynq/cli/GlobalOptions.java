package io.jasynq.cli;

import io.jasynq.redis.RedisConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The connection options every command takes, at parity with the asynq CLI's global flags. Each
 * value comes from the first of: the flag, an environment variable ({@code REDIS_URL} for the URI),
 * the config file ({@code --config}, else {@code ~/.jasynq.yaml}, else {@code ~/.asynq.yaml}), the
 * default.
 */
final class GlobalOptions {
  static final String DEFAULT_URI = "127.0.0.1:6379";
  static final String DEFAULT_CLUSTER_ADDRS =
      "127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003,127.0.0.1:7004,127.0.0.1:7005";

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Config file (flat YAML: uri, db, username, password, tls, ...)."
              + " Default: ~/.jasynq.yaml, else ~/.asynq.yaml, if present.")
  Path config;

  @Option(
      names = {"-u", "--uri"},
      scope = ScopeType.INHERIT,
      paramLabel = "URI",
      description =
          "Redis: host:port, redis://[[user]:password@]host[:port][/db], rediss://… (TLS) or"
              + " redis-sentinel://…?master=NAME or redis-cluster://h1:p1,h2:p2. Default: $REDIS_URL, else "
              + DEFAULT_URI
              + ".")
  String uri;

  @Option(
      names = {"-n", "--db"},
      scope = ScopeType.INHERIT,
      paramLabel = "N",
      description = "Redis database number (overrides the URI's).")
  Integer db;

  @Option(
      names = {"-U", "--username", "--user"},
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "Redis ACL user name.")
  String username;

  @Option(
      names = {"-p", "--password"},
      scope = ScopeType.INHERIT,
      paramLabel = "PASSWORD",
      description = "Redis password (overrides the URI's).")
  String password;

  @Option(
      names = "--tls",
      scope = ScopeType.INHERIT,
      description = "Connect with TLS (like rediss://).")
  boolean tls;

  @Option(
      names = {"--tls_server", "--tls-server"},
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description =
          "Server name to verify the certificate against and send as SNI, when it is not the"
              + " host connected to; enables TLS.")
  String tlsServer;

  @Option(
      names = {"--tls_ca", "--tls-ca"},
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "PEM file of the CA that signed the server's certificate (default: the JVM's trust"
              + " store); enables TLS.")
  Path tlsCa;

  @Option(
      names = "--insecure",
      scope = ScopeType.INHERIT,
      description = "With TLS, do not verify the server's certificate.")
  boolean insecure;

  @Option(
      names = "--sentinel",
      scope = ScopeType.INHERIT,
      paramLabel = "MASTER@HOST:PORT,...",
      description = "Reach the master named MASTER through these sentinels (replaces --uri).")
  String sentinel;

  @Option(
      names = {"--sentinel_password", "--sentinel-password"},
      scope = ScopeType.INHERIT,
      paramLabel = "PASSWORD",
      description = "The sentinels' own password (the master uses --password).")
  String sentinelPassword;

  @Option(
      names = "--cluster",
      scope = ScopeType.INHERIT,
      arity = "0..1",
      fallbackValue = "",
      paramLabel = "HOST:PORT,...",
      description =
          "Redis Cluster, seeded by these nodes (default: --cluster_addrs); --uri and --db are"
              + " then ignored.")
  String cluster;

  @Option(
      names = {"--cluster_addrs", "--cluster-addrs"},
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT,...",
      description = "Cluster seed nodes for --cluster (default: " + DEFAULT_CLUSTER_ADDRS + ").")
  String clusterAddrs;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean debug;

  /** Resolves every source into the connector's settings and builds it. Nothing connects yet. */
  RedisConnector connector(Environment env) {
    ConfigFile file = configFile(env);
    RedisConnector.Builder builder = RedisConnector.builder().clientName("jasynq-cli");
    String clusterNodes = clusterNodes(file);
    String sentinelSpec = first(sentinel, file.get("sentinel"));
    if (clusterNodes != null) {
      if (sentinelSpec != null) {
        throw new UsageException("give either --cluster or --sentinel, not both");
      }
      // As asynq: with --cluster, --uri and --db are ignored (a cluster has only database 0).
      clusterSeeds(builder, clusterNodes);
    } else if (sentinelSpec != null) {
      if (uri != null) {
        throw new UsageException("give either --uri or --sentinel, not both");
      }
      sentinels(builder, sentinelSpec);
      String sentinelPw = first(sentinelPassword, file.get("sentinel_password"));
      if (sentinelPw != null) {
        builder.sentinelPassword(sentinelPw);
      }
    } else {
      String target =
          Objects.requireNonNull(
              first(uri, env.variable("REDIS_URL"), file.get("uri"), DEFAULT_URI));
      builder.uri(target);
    }
    if (db != null && db < 0) {
      throw new UsageException("--db must be 0 or more, was \"" + db + "\"");
    }
    Integer database = db != null ? db : integer(file, "db");
    if (database != null && clusterNodes == null) {
      builder.database(database);
    }
    String user = first(username, file.get("username"), file.get("user"));
    if (user != null) {
      builder.username(user);
    }
    String pw = first(password, file.get("password"));
    if (pw != null) {
      builder.password(pw);
    }
    String serverName = first(tlsServer, file.get("tls_server"));
    String caFile = first(tlsCa == null ? null : tlsCa.toString(), file.get("tls_ca"));
    if (tls || serverName != null || caFile != null || bool(file, "tls")) {
      builder.tls(true);
    }
    if (serverName != null) {
      builder.tlsServerName(serverName);
    }
    if (caFile != null) {
      Path ca = Path.of(caFile);
      if (!Files.isRegularFile(ca)) {
        throw new IllegalArgumentException("--tls_ca file " + ca + " does not exist");
      }
      builder.tlsCaFile(ca);
    }
    if (insecure || bool(file, "insecure")) {
      builder.verifyPeer(false);
    }
    return builder.build();
  }

  /** The config file in use: the explicit one (which must exist), else a default if present. */
  ConfigFile configFile(Environment env) {
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new IllegalArgumentException("config file " + config + " does not exist");
      }
      return ConfigFile.read(config);
    }
    for (String name : new String[] {".jasynq.yaml", ".asynq.yaml"}) {
      Path candidate = env.home().resolve(name);
      if (Files.isRegularFile(candidate)) {
        return ConfigFile.read(candidate);
      }
    }
    return ConfigFile.none();
  }

  private @Nullable String clusterNodes(ConfigFile file) {
    if (cluster != null) {
      return first(
          cluster.isBlank() ? null : cluster,
          clusterAddrs,
          file.get("cluster_addrs"),
          DEFAULT_CLUSTER_ADDRS);
    }
    if (bool(file, "cluster")) {
      return first(clusterAddrs, file.get("cluster_addrs"), DEFAULT_CLUSTER_ADDRS);
    }
    return null;
  }

  /**
   * Whether the command talks to a Redis Cluster: {@code --cluster}, {@code cluster: true} in the
   * config file, or a {@code redis-cluster://} / {@code rediss-cluster://} URI.
   */
  boolean isCluster(Environment env) {
    ConfigFile file = configFile(env);
    if (clusterNodes(file) != null) {
      return true;
    }
    if (first(sentinel, file.get("sentinel")) != null) {
      return false;
    }
    String target =
        Objects.requireNonNull(first(uri, env.variable("REDIS_URL"), file.get("uri"), DEFAULT_URI));
    return target.strip().toLowerCase(Locale.ROOT).matches("rediss?-cluster://.*");
  }

  /** Applies {@code host:port,host:port} as cluster seed nodes. */
  private static void clusterSeeds(RedisConnector.Builder builder, String spec) {
    boolean any = false;
    for (String address : spec.split(",")) {
      String a = address.strip();
      if (a.isEmpty()) {
        continue;
      }
      int colon = a.lastIndexOf(':');
      if (colon <= 0 || colon == a.length() - 1) {
        throw new UsageException("--cluster_addrs address \"" + a + "\" must be HOST:PORT");
      }
      String host = a.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(a.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new UsageException(
            "--cluster_addrs address \"" + a + "\" has a bad port (HOST:PORT expected)", e);
      }
      builder.clusterNode(host, port);
      any = true;
    }
    if (!any) {
      throw new UsageException(
          "--cluster_addrs must name at least one HOST:PORT, was \"" + spec + "\"");
    }
  }

  /** Applies {@code master@host:port,host:port}. */
  private static void sentinels(RedisConnector.Builder builder, String spec) {
    int at = spec.indexOf('@');
    if (at <= 0 || at == spec.length() - 1) {
      throw new UsageException(
          "--sentinel must be MASTER@HOST:PORT[,HOST:PORT...], was \"" + spec + "\"");
    }
    String master = spec.substring(0, at);
    builder.masterName(master);
    for (String address : spec.substring(at + 1).split(",")) {
      String a = address.strip();
      int colon = a.lastIndexOf(':');
      int port = 26379;
      String host = a;
      if (colon > 0) {
        host = a.substring(0, colon);
        try {
          port = Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new UsageException(
              "--sentinel address \"" + a + "\" has a bad port (HOST:PORT expected)", e);
        }
      }
      if (host.isBlank()) {
        throw new UsageException("--sentinel address \"" + a + "\" has no host");
      }
      builder.sentinel(host, port);
    }
  }

  private static @Nullable Integer integer(ConfigFile file, String key) {
    String value = file.get(key);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "config file " + file.path() + ": " + key + " must be a number, was \"" + value + "\"",
          e);
    }
  }

  private static boolean bool(ConfigFile file, String key) {
    String value = file.get(key);
    if (value == null || value.isEmpty()) {
      return false;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default ->
          throw new IllegalArgumentException(
              "config file "
                  + file.path()
                  + ": "
                  + key
                  + " must be true or false, was \""
                  + value
                  + "\"");
    };
  }

  private static @Nullable String first(@Nullable String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }
}

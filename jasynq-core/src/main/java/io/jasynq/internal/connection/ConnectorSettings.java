package io.jasynq.internal.connection;

import io.lettuce.core.resource.ClientResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What {@code RedisConnector.Builder} was told, each value already checked on its own; {@link
 * OwnedClients} checks them together. Null means "not given" for the optional values.
 *
 * @param host standalone host (ignored with sentinels or cluster nodes)
 * @param port standalone port
 * @param username ACL user of the data nodes, or null
 * @param password password of the data nodes, or null
 * @param database database number (0 on a cluster)
 * @param sentinels the sentinels' addresses; empty unless Sentinel
 * @param masterName the Sentinel master's name, or null
 * @param sentinelUsername the sentinels' ACL user, or null
 * @param sentinelPassword the sentinels' password, or null
 * @param clusterNodes the cluster seed nodes; empty unless Redis Cluster
 * @param topologyRefreshPeriod period of an owned cluster client's topology refresh
 * @param tls whether to use TLS
 * @param verifyPeer whether TLS verifies the server's certificate and host name
 * @param tlsCaFile PEM file of the CA certificates to trust, or null
 * @param tlsServerName the name to verify and send as SNI, or null for the host
 * @param tlsTrustManagerFactory the caller's trust managers, or null
 * @param tlsKeyManagerFactory the caller's key managers (client certificate), or null
 * @param commandTimeout time one command may take
 * @param connectTimeout time to establish a connection (and its TLS handshake)
 * @param clientName {@code CLIENT SETNAME} of our connections
 * @param clientResources the caller's Lettuce resources (borrowed), or null to own ours
 */
public record ConnectorSettings(
    String host,
    int port,
    String username,
    char[] password,
    int database,
    List<RedisUris.Sentinel> sentinels,
    String masterName,
    String sentinelUsername,
    char[] sentinelPassword,
    List<ClusterUris.Node> clusterNodes,
    Duration topologyRefreshPeriod,
    boolean tls,
    boolean verifyPeer,
    Path tlsCaFile,
    String tlsServerName,
    TrustManagerFactory tlsTrustManagerFactory,
    KeyManagerFactory tlsKeyManagerFactory,
    Duration commandTimeout,
    Duration connectTimeout,
    String clientName,
    ClientResources clientResources) {
  public ConnectorSettings {
    sentinels = List.copyOf(sentinels);
    clusterNodes = List.copyOf(clusterNodes);
  }
}

package io.jasynq.spring.boot;

import io.jasynq.Client;
import io.jasynq.EnqueueInterceptor;
import io.jasynq.ErrorHandler;
import io.jasynq.Inspector;
import io.jasynq.Middleware;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.ServerListener;
import io.jasynq.redis.RedisConnector;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of jasynq: a {@link RedisConnector}, a {@link Client}, an {@link Inspector}, a
 * {@link JasynqTemplate} and, unless {@code jasynq.server.enabled=false}, a {@link Server} run by
 * {@link JasynqServerLifecycle} with the context's {@link TaskHandler} routes. Every bean backs off
 * when the application declares its own of the same type.
 *
 * <p><b>Connection.</b> With {@code jasynq.redis.uri} jasynq owns everything: client, connections
 * and Lettuce resources. Without it, it uses the application's Redis: Boot's {@code
 * DataRedisConnectionDetails} when spring-boot-data-redis is present (else {@code
 * spring.data.redis.*}), with its own Lettuce client and connections but Boot's {@code
 * ClientResources} bean when there is one. {@code spring.data.redis.ssl.bundle} names a Boot SSL
 * bundle ({@code spring.ssl.bundle.*}) whose trust material verifies the server and whose key
 * material, if any, is the client certificate for mutual TLS. Static master/replica ({@code
 * spring.data.redis.masterreplica.nodes}) is refused at start. Borrowed resources are never shut
 * down by jasynq, and the connector is closed before them: the connector bean depends on the
 * resources bean.
 *
 * @since 0.1
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
      "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"
    })
@ConditionalOnClass(Client.class)
@EnableConfigurationProperties(JasynqProperties.class)
public class JasynqAutoConfiguration {
  /** The bean name of the connector, so that borrowed resources outlive it. */
  static final String CONNECTOR_BEAN = "jasynqRedisConnector";

  /** Creates the auto-configuration; Spring calls it. */
  public JasynqAutoConfiguration() {}

  /**
   * The connector: owned from {@code jasynq.redis.uri}, else on the application's Redis settings.
   */
  @Bean(name = CONNECTOR_BEAN, destroyMethod = "close")
  @ConditionalOnMissingBean
  RedisConnector jasynqRedisConnector(
      JasynqProperties properties,
      Environment environment,
      ObjectProvider<ConnectionDetailsSource> details,
      ObjectProvider<ClientResources> resources,
      ObjectProvider<SslBundles> sslBundles,
      ConfigurableListableBeanFactory beanFactory) {
    String uri = properties.getRedis().getUri();
    if (uri != null) {
      return RedisConnector.create(uri);
    }
    BootRedisSettings settings =
        details
            .getIfAvailable(
                () ->
                    () ->
                        BootRedisSettings.bind(
                            Binder.get(environment), name -> sslBundle(sslBundles, name)))
            .settings();
    RedisConnector.Builder builder = settings.toBuilder();
    String[] names = beanFactory.getBeanNamesForType(ClientResources.class, false, false);
    if (names.length == 1) {
      // Destroyed after the connector: jasynq's connections close while the event loops live.
      beanFactory.registerDependentBean(names[0], CONNECTOR_BEAN);
      builder.clientResources(resources.getObject());
    }
    return builder.build();
  }

  private static SslBundle sslBundle(ObjectProvider<SslBundles> bundles, String name) {
    SslBundles available = bundles.getIfAvailable();
    if (available == null) {
      throw new NoSuchSslBundleException(name, "no SslBundles bean (SslAutoConfiguration is off)");
    }
    return available.getBundle(name);
  }

  /** The client, with every {@link EnqueueInterceptor} bean in order. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Client jasynqClient(RedisConnector connector, ObjectProvider<EnqueueInterceptor> interceptors) {
    Client.Builder builder = Client.builder().connector(connector);
    interceptors.orderedStream().forEach(builder::interceptor);
    return builder.build();
  }

  /** The inspector. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Inspector jasynqInspector(RedisConnector connector) {
    return Inspector.create(connector);
  }

  /** The converter without JSON, when there is no Jackson 3 mapper. */
  @Bean
  @ConditionalOnMissingBean
  PayloadConverter jasynqRawPayloadConverter() {
    return new RawPayloadConverter();
  }

  /** The template, with the payload converter. */
  @Bean
  @ConditionalOnMissingBean
  JasynqTemplate jasynqTemplate(Client client, PayloadConverter converter) {
    return new JasynqTemplate(client, converter);
  }

  /** Collects the routes; static so that it exists before the beans it inspects. */
  @Bean
  static TaskHandlerRegistry jasynqTaskHandlerRegistry(ObjectProvider<PayloadConverter> converter) {
    return new TaskHandlerRegistry(converter);
  }

  /** Binds typed payloads with the application's Jackson 3 {@link JsonMapper}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JsonMapper.class)
  @ConditionalOnBean(JsonMapper.class)
  static class JsonPayloads {
    @Bean
    @ConditionalOnMissingBean
    PayloadConverter jasynqJsonPayloadConverter(JsonMapper mapper) {
      return new JsonMapperPayloadConverter(mapper);
    }
  }

  /** Reads Boot's connection details when spring-boot-data-redis is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(DataRedisConnectionDetails.class)
  @ConditionalOnBean(DataRedisConnectionDetails.class)
  static class BootConnectionDetails {
    @Bean
    ConnectionDetailsSource jasynqConnectionDetailsSource(
        DataRedisConnectionDetails details, Environment environment) {
      return () ->
          DataRedisDetails.settings(details, environment.getProperty("spring.data.redis.url"));
    }
  }

  /** The task server, unless {@code jasynq.server.enabled=false}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(
      name = "jasynq.server.enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class ServerBeans {
    @Bean
    @ConditionalOnMissingBean
    ServerConfig jasynqServerConfig(
        JasynqProperties properties,
        Environment environment,
        ObjectProvider<Middleware> middleware,
        ObjectProvider<ServerListener> listeners,
        ObjectProvider<ErrorHandler> errorHandler) {
      JasynqProperties.Server p = properties.getServer();
      Boolean virtual = p.getVirtualThreads();
      if (virtual == null) {
        virtual =
            WorkerThreads.available()
                && environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false);
      }
      return ServerSettings.config(
          p,
          virtual,
          middleware.orderedStream().toList(),
          listeners.orderedStream().toList(),
          errorHandler.getIfUnique());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Server jasynqServer(RedisConnector connector, ServerConfig config) {
      return Server.create(connector, config);
    }

    @Bean
    @ConditionalOnMissingBean
    JasynqServerLifecycle jasynqServerLifecycle(
        Server server,
        ServerConfig config,
        TaskHandlerRegistry registry,
        JasynqProperties properties,
        Environment environment) {
      Duration phaseTimeout =
          environment.getProperty(
              "spring.lifecycle.timeout-per-shutdown-phase",
              Duration.class,
              Duration.ofSeconds(30));
      return new JasynqServerLifecycle(
          server,
          registry,
          properties.getServer().getEnabled(),
          config.shutdownTimeout(),
          phaseTimeout);
    }
  }

  /** Where the application's Redis settings come from; a seam for Boot's connection details. */
  @FunctionalInterface
  interface ConnectionDetailsSource {
    BootRedisSettings settings();
  }
}

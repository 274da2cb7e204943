package io.jasynq.spring.boot;

import io.jasynq.Scheduler;
import io.jasynq.SchedulerConfig;
import io.jasynq.redis.RedisConnector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Auto-configuration of periodic tasks: a {@link Scheduler} on the starter's {@link
 * RedisConnector}, with the entries of {@code jasynq.periodic.*} and of {@link Periodic}
 * annotations, run by {@link JasynqSchedulerLifecycle}. Off with {@code
 * jasynq.scheduler.enabled=false}.
 *
 * <p>The scheduler bean is lazy: it is created (and connects) only when the lifecycle starts it,
 * that is when there are periodic tasks or {@code jasynq.scheduler.enabled=true}, or when another
 * bean injects it. A {@link SchedulerConfig} bean, when there is one, configures it (zone for specs
 * without one, missed-tick policy, enqueue callbacks). A {@code Scheduler} bean of the
 * application's replaces it; the lifecycle then registers the entries on that one and starts it.
 *
 * @since 0.1
 */
@AutoConfiguration(after = JasynqAutoConfiguration.class)
@ConditionalOnClass(Scheduler.class)
@ConditionalOnBean(RedisConnector.class)
@ConditionalOnProperty(
    name = "jasynq.scheduler.enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(JasynqPeriodicProperties.class)
public class JasynqSchedulerAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public JasynqSchedulerAutoConfiguration() {}

  /** Collects {@link Periodic} annotations; static so that it exists before the beans. */
  @Bean
  static PeriodicRegistry jasynqPeriodicRegistry() {
    return new PeriodicRegistry();
  }

  /** The scheduler, on the starter's connector, which it never closes; created on first use. */
  @Bean(destroyMethod = "close")
  @Lazy
  @ConditionalOnMissingBean
  Scheduler jasynqScheduler(RedisConnector connector, ObjectProvider<SchedulerConfig> config) {
    return Scheduler.create(connector, config.getIfAvailable(SchedulerConfig::defaults));
  }

  /** Registers the entries on the scheduler and starts and stops it with the context. */
  @Bean
  @ConditionalOnMissingBean
  JasynqSchedulerLifecycle jasynqSchedulerLifecycle(
      ObjectProvider<Scheduler> scheduler,
      JasynqPeriodicProperties properties,
      PeriodicRegistry annotations,
      ObjectProvider<TaskHandlerRegistry> handlers) {
    return new JasynqSchedulerLifecycle(
        scheduler::getObject,
        () -> entries(properties, annotations),
        () -> PeriodicRegistry.checkRoutes(annotations.declared(), patterns(handlers)),
        properties.getScheduler().getEnabled());
  }

  private static List<PeriodicEntry> entries(
      JasynqPeriodicProperties properties, PeriodicRegistry annotations) {
    List<PeriodicEntry> all = new ArrayList<>();
    properties
        .getPeriodic()
        .forEach(
            (name, p) ->
                all.add(
                    new PeriodicEntry(
                        "jasynq.periodic." + name,
                        p.getCron(),
                        p.getType(),
                        p.getPayload(),
                        p.getQueue(),
                        p.getZone())));
    annotations.declared().forEach(d -> all.add(d.entry()));
    return all;
  }

  private static Map<String, String> patterns(ObjectProvider<TaskHandlerRegistry> handlers) {
    TaskHandlerRegistry registry = handlers.getIfAvailable();
    return registry == null ? Map.of() : registry.patterns();
  }
}

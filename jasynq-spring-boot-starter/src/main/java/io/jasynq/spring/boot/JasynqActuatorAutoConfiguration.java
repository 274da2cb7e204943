package io.jasynq.spring.boot;

import io.jasynq.Inspector;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code jasynq} actuator endpoint ({@link JasynqEndpoint}), when spring-boot-actuator is on
 * the classpath and the endpoint is available (enabled and exposed, Boot's {@code
 * management.endpoint(s).*} rules). The health indicator is {@link JasynqHealthAutoConfiguration}.
 *
 * @since 0.1
 */
@AutoConfiguration(after = JasynqAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(Inspector.class)
public class JasynqActuatorAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public JasynqActuatorAutoConfiguration() {}

  /** The endpoint over the auto-configured inspector. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  JasynqEndpoint jasynqEndpoint(Inspector inspector) {
    return new JasynqEndpoint(inspector);
  }
}

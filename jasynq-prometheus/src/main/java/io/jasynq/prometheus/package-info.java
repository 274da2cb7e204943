/**
 * A Prometheus exporter for jasynq: {@link io.jasynq.prometheus.PrometheusExporter} serves Go
 * Asynq's queue metrics (the names, labels, help and types of asynq's {@code x/metrics} collector,
 * so existing dashboards work unchanged) in the Prometheus text format 0.0.4, plus any meters of a
 * Micrometer {@code PrometheusMeterRegistry}.
 *
 * @since 0.1
 */
package io.jasynq.prometheus;

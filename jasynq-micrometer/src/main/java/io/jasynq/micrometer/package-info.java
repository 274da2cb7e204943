/**
 * Micrometer meters for jasynq, bound through public hooks only:
 *
 * <pre>{@code
 * JasynqMetrics metrics = JasynqMetrics.builder(registry).tags(Tags.of("app", "billing")).build();
 * Client client = Client.builder().uri(uri).interceptor(metrics.enqueueInterceptor()).build();
 * Server server = Server.connect(uri, ServerConfig.builder().listener(metrics.serverListener()).build());
 * QueueMetrics queues = metrics.bindQueues(inspector, Duration.ofSeconds(15)); // close() to stop
 * server.start(handler);
 * }</pre>
 *
 * <p>{@link io.jasynq.micrometer.MetricNames} lists every meter and tag; {@link
 * io.jasynq.micrometer.TaskTypeTags} keeps the number of {@code task.type} values bounded.
 *
 * @since 0.1
 */
package io.jasynq.micrometer;

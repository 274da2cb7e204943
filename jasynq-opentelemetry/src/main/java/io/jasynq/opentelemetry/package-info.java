/**
 * OpenTelemetry traces for jasynq: producer spans at enqueue, W3C trace context in the task's
 * headers, consumer spans around handlers. Needs only the OpenTelemetry API.
 *
 * <pre>{@code
 * JasynqTelemetry telemetry = JasynqTelemetry.builder(openTelemetry).build();
 * Client client = Client.builder().uri(uri).interceptor(telemetry.enqueueInterceptor()).build();
 * ServerConfig config = ServerConfig.builder().middleware(telemetry.middleware()).build();
 * Server server = Server.connect(uri, config);
 * server.start(ctx -> handle(ctx.task()));
 * }</pre>
 *
 * <p>See {@link io.jasynq.opentelemetry.JasynqTelemetry} for the spans and their attributes, and
 * {@link io.jasynq.opentelemetry.MessagingAttributes} for the attribute names.
 *
 * @since 0.1
 */
package io.jasynq.opentelemetry;

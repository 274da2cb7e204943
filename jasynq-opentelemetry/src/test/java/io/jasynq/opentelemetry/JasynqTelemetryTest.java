package io.jasynq.opentelemetry;

import static io.jasynq.opentelemetry.MessagingAttributes.ERROR_TYPE;
import static io.jasynq.opentelemetry.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static io.jasynq.opentelemetry.MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE;
import static io.jasynq.opentelemetry.MessagingAttributes.MESSAGING_MESSAGE_ID;
import static io.jasynq.opentelemetry.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static io.jasynq.opentelemetry.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static io.jasynq.opentelemetry.MessagingAttributes.MESSAGING_SYSTEM;
import static io.jasynq.opentelemetry.MessagingAttributes.TASK_MAX_RETRY;
import static io.jasynq.opentelemetry.MessagingAttributes.TASK_RETRY_COUNT;
import static io.jasynq.opentelemetry.MessagingAttributes.TASK_TYPE;
import static io.jasynq.opentelemetry.MessagingAttributes.TASK_WILL_RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.Handler;
import io.jasynq.RetryDelay;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.SkipRetryException;
import io.jasynq.Task;
import io.jasynq.TaskIdConflictException;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spans of real enqueues and real handler runs through Redis, collected by an in-memory SDK. */
@RedisTest
@SuppressWarnings("try") // servers and scopes live for their block without being named in it
class JasynqTelemetryTest {
  private static final String QUEUE = "mail";

  private final RedisServer redisServer;
  private final TestRedis redis;
  private final Tracing tracing = new Tracing();

  JasynqTelemetryTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  @AfterEach
  void closeSdk() {
    tracing.close();
  }

  private JasynqTelemetry telemetry(boolean consumerParent) {
    return JasynqTelemetry.builder(tracing.sdk).consumerParent(consumerParent).build();
  }

  private Client client(JasynqTelemetry telemetry) {
    return Client.builder()
        .uri(redisServer.uri())
        .interceptor(telemetry.enqueueInterceptor())
        .build();
  }

  private Server server(JasynqTelemetry telemetry, Handler handler) {
    Server server =
        Server.connect(
            redisServer.uri(),
            ServerConfig.builder()
                .queue(QUEUE, 1)
                .taskCheckInterval(Duration.ofMillis(20))
                .delayedTaskCheckInterval(Duration.ofMillis(50))
                .retryDelay(RetryDelay.constant(Duration.ofMillis(10)))
                .middleware(telemetry.middleware())
                .build());
    server.start(handler);
    return server;
  }

  private static Task task(String payload) {
    return Task.of("email:send", payload, TaskOption.queue(QUEUE));
  }

  @Test
  void consumerParentPutsProcessAndHandlerSpansInTheProducersTrace() {
    JasynqTelemetry telemetry = telemetry(true);
    List<String> baggage = new CopyOnWriteArrayList<>();
    Handler handler =
        ctx -> {
          baggage.add(Baggage.current().getEntryValue("tenant"));
          tracing.sdk.getTracer("app").spanBuilder("render").startSpan().end();
        };
    try (Client client = client(telemetry);
        Server server = server(telemetry, handler);
        Scope ignored = Baggage.builder().put("tenant", "acme").build().makeCurrent()) {
      client.enqueue(task("hi"));
      tracing.await(SpanKind.INTERNAL, 1);
    }
    SpanData send = tracing.await(SpanKind.PRODUCER, 1).get(0);
    SpanData process = tracing.await(SpanKind.CONSUMER, 1).get(0);
    SpanData render = tracing.spans(SpanKind.INTERNAL).get(0);

    assertThat(List.of(process.getTraceId(), render.getTraceId())).containsOnly(send.getTraceId());
    assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
    assertThat(process.getParentSpanContext().isRemote()).isTrue();
    assertThat(process.getLinks()).isEmpty();
    assertThat(render.getParentSpanId()).isEqualTo(process.getSpanId());
    assertThat(baggage).containsExactly("acme");
  }

  @Test
  void processSpanLinksToTheSendSpanInANewTraceByDefault() {
    JasynqTelemetry telemetry = telemetry(false);
    List<String> baggage = new CopyOnWriteArrayList<>();
    TaskInfo info;
    try (Client client = client(telemetry);
        Server server =
            server(telemetry, ctx -> baggage.add(Baggage.current().getEntryValue("tenant")));
        Scope ignored = Baggage.builder().put("tenant", "acme").build().makeCurrent()) {
      info = client.enqueue(task("hello"));
      tracing.await(SpanKind.CONSUMER, 1);
    }
    assertThat(baggage).containsExactly("acme");
    SpanData send = tracing.await(SpanKind.PRODUCER, 1).get(0);
    SpanData process = tracing.spans(SpanKind.CONSUMER).get(0);

    assertThat(send.getName()).isEqualTo("send mail");
    assertThat(send.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(send.getAttributes().asMap())
        .containsEntry(MESSAGING_SYSTEM, "jasynq")
        .containsEntry(MESSAGING_DESTINATION_NAME, QUEUE)
        .containsEntry(MESSAGING_OPERATION_TYPE, "send")
        .containsEntry(MESSAGING_OPERATION_NAME, "send")
        .containsEntry(MESSAGING_MESSAGE_ID, info.id())
        .containsEntry(MESSAGING_MESSAGE_BODY_SIZE, 5L)
        .containsEntry(TASK_TYPE, "email:send");

    assertThat(process.getName()).isEqualTo("process mail");
    assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(process.getParentSpanContext().isValid()).isFalse();
    assertThat(process.getTraceId()).isNotEqualTo(send.getTraceId());
    assertThat(process.getLinks())
        .extracting(l -> ids(l.getSpanContext()))
        .containsExactly(ids(send.getSpanContext()));
    assertThat(process.getAttributes().asMap())
        .containsEntry(MESSAGING_SYSTEM, "jasynq")
        .containsEntry(MESSAGING_DESTINATION_NAME, QUEUE)
        .containsEntry(MESSAGING_OPERATION_TYPE, "process")
        .containsEntry(MESSAGING_OPERATION_NAME, "process")
        .containsEntry(MESSAGING_MESSAGE_ID, info.id())
        .containsEntry(MESSAGING_MESSAGE_BODY_SIZE, 5L)
        .containsEntry(TASK_TYPE, "email:send")
        .containsEntry(TASK_RETRY_COUNT, 0L)
        .containsEntry(TASK_MAX_RETRY, 25L)
        .doesNotContainKey(TASK_WILL_RETRY);
  }

  @Test
  void batchEnqueueGivesOneCreateSpanPerTaskAndEachProcessSpanLinksToItsOwn() {
    JasynqTelemetry telemetry = telemetry(false);
    List<BatchResult> results;
    try (Client client = client(telemetry);
        Server server = server(telemetry, ctx -> {})) {
      results = client.enqueueBatch(List.of(task("a"), task("bb"), task("ccc")));
      tracing.await(SpanKind.CONSUMER, 3);
    }
    assertThat(results).allMatch(BatchResult::isSuccess);
    List<SpanData> creates = tracing.await(SpanKind.PRODUCER, 3);
    assertThat(creates)
        .hasSize(3)
        .allSatisfy(s -> assertThat(s.getName()).isEqualTo("create mail"));
    assertThat(creates)
        .extracting(s -> s.getAttributes().get(MESSAGING_OPERATION_TYPE))
        .containsOnly("create");
    Map<String, SpanData> createById = byMessageId(creates);
    assertThat(createById.keySet())
        .containsExactlyInAnyOrderElementsOf(results.stream().map(r -> r.info().id()).toList());
    for (SpanData process : tracing.spans(SpanKind.CONSUMER)) {
      SpanData create = createById.get(process.getAttributes().get(MESSAGING_MESSAGE_ID));
      assertThat(process.getLinks())
          .extracting(l -> ids(l.getSpanContext()))
          .containsExactly(ids(create.getSpanContext()));
      assertThat(process.getAttributes().get(MESSAGING_MESSAGE_BODY_SIZE))
          .isEqualTo(create.getAttributes().get(MESSAGING_MESSAGE_BODY_SIZE));
    }
  }

  @Test
  void eachRetryIsItsOwnProcessSpanAndFailedAttemptsRecordTheException() {
    JasynqTelemetry telemetry = telemetry(false);
    AtomicInteger attempts = new AtomicInteger();
    Handler handler =
        ctx -> {
          if (attempts.incrementAndGet() <= 2) {
            throw new IllegalStateException("attempt " + attempts.get() + " fails");
          }
        };
    try (Client client = client(telemetry);
        Server server = server(telemetry, handler)) {
      client.enqueue(task("retry me"));
      tracing.await(SpanKind.CONSUMER, 3);
    }
    SpanData send = tracing.await(SpanKind.PRODUCER, 1).get(0);
    List<SpanData> process =
        tracing.spans(SpanKind.CONSUMER).stream()
            .sorted(Comparator.comparing(s -> s.getAttributes().get(TASK_RETRY_COUNT)))
            .toList();

    assertThat(process)
        .extracting(s -> s.getAttributes().get(TASK_RETRY_COUNT))
        .containsExactly(0L, 1L, 2L);
    assertThat(process)
        .extracting(s -> s.getStatus().getStatusCode())
        .containsExactly(StatusCode.ERROR, StatusCode.ERROR, StatusCode.UNSET);
    assertThat(process)
        .allSatisfy(
            s ->
                assertThat(s.getLinks())
                    .extracting(l -> ids(l.getSpanContext()))
                    .containsExactly(ids(send.getSpanContext())));
    for (SpanData failed : process.subList(0, 2)) {
      assertThat(failed.getAttributes().asMap())
          .containsEntry(ERROR_TYPE, IllegalStateException.class.getName())
          .containsEntry(TASK_WILL_RETRY, true);
      assertThat(failed.getEvents()).extracting(EventData::getName).containsExactly("exception");
    }
    assertThat(process.get(0).getStatus().getDescription()).isEqualTo("attempt 1 fails");
    assertThat(process.get(2).getEvents()).isEmpty();
    assertThat(process.get(2).getAttributes().get(ERROR_TYPE)).isNull();
  }

  @Test
  void skipRetryIsReportedAsNotRetriedAndReachesTheServerUnchanged() {
    JasynqTelemetry telemetry = telemetry(false);
    TaskInfo info;
    try (Client client = client(telemetry);
        Server server =
            server(
                telemetry,
                ctx -> {
                  throw new SkipRetryException("poison");
                })) {
      info = client.enqueue(task("x"));
      Eventually.until(
          "archived", () -> "archived".equals(redis.hget("asynq:{mail}:t:" + info.id(), "state")));
    }
    SpanData process = tracing.await(SpanKind.CONSUMER, 1).get(0);
    assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(process.getAttributes().asMap())
        .containsEntry(ERROR_TYPE, SkipRetryException.class.getName())
        .containsEntry(TASK_WILL_RETRY, false);
  }

  @ParameterizedTest(name = "consumerParent={0}")
  @ValueSource(booleans = {false, true})
  void taskWithoutOrWithBrokenTraceContextRunsInARootSpanWithoutLinks(boolean consumerParent) {
    JasynqTelemetry telemetry = telemetry(consumerParent);
    List<String> ran = new CopyOnWriteArrayList<>();
    try (Client plain = Client.connect(redisServer.uri());
        Server server = server(telemetry, ctx -> ran.add(ctx.task().type()))) {
      plain.enqueue(Task.of("plain", "", TaskOption.queue(QUEUE)));
      plain.enqueue(
          Task.builder("broken")
              .header("traceparent", "00-not-a-trace-context-01")
              .header("baggage", "=;;=")
              .options(TaskOption.queue(QUEUE))
              .build());
      tracing.await(SpanKind.CONSUMER, 2);
    }
    assertThat(ran).containsExactlyInAnyOrder("plain", "broken");
    assertThat(redis.get("asynq:{mail}:processed")).isEqualTo("2");
    assertThat(tracing.spans(SpanKind.CONSUMER))
        .allSatisfy(
            s -> {
              assertThat(s.getParentSpanContext().isValid()).isFalse();
              assertThat(s.getLinks()).isEmpty();
              assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            });
    assertThat(tracing.spans(SpanKind.PRODUCER)).isEmpty();
  }

  @Test
  void producerSpanIsTheCallersChildAndItsContextIsInTheStoredHeaders() {
    JasynqTelemetry telemetry = telemetry(false);
    Span caller = tracing.sdk.getTracer("app").spanBuilder("checkout").startSpan();
    TaskInfo info;
    try (Client client = client(telemetry);
        Scope ignored = caller.makeCurrent()) {
      info = client.enqueue(task("p"));
    } finally {
      caller.end();
    }
    SpanData send = tracing.await(SpanKind.PRODUCER, 1).get(0);
    assertThat(send.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
    assertThat(info.headers())
        .containsEntry("traceparent", "00-" + send.getTraceId() + "-" + send.getSpanId() + "-01");
  }

  @Test
  void failedEnqueueEndsTheSpanWithTheErrorAndCallersSeeTheSameException() {
    JasynqTelemetry telemetry = telemetry(false);
    Function<Client, Throwable> conflict =
        c ->
            c.enqueueAsync(task("dup"), TaskOption.taskId("same-id"))
                .handle((ok, error) -> error)
                .join();
    Throwable traced;
    Throwable untraced;
    try (Client client =
            Client.builder()
                .uri(redisServer.uri())
                .maxPayloadSize(4)
                .interceptor(telemetry.enqueueInterceptor())
                .build();
        Client plain = Client.connect(redisServer.uri())) {
      plain.enqueue(task("first"), TaskOption.taskId("same-id"));
      traced = conflict.apply(client);
      untraced = conflict.apply(plain);
      assertThatThrownBy(() -> client.enqueue(Task.of("big", "too large", TaskOption.queue("big"))))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(traced).isNotNull().hasSameClassAs(untraced);
    assertThat(unwrap(traced)).isInstanceOf(TaskIdConflictException.class);

    Map<String, SpanData> byQueue =
        tracing.await(SpanKind.PRODUCER, 2).stream()
            .collect(Collectors.toMap(SpanData::getName, s -> s));
    SpanData dup = byQueue.get("send mail");
    assertThat(dup.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(dup.getAttributes().get(ERROR_TYPE))
        .isEqualTo(TaskIdConflictException.class.getName());
    assertThat(dup.getEvents()).extracting(EventData::getName).containsExactly("exception");
    SpanData invalid = byQueue.get("send big");
    assertThat(invalid.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(invalid.getAttributes().get(ERROR_TYPE))
        .isEqualTo(IllegalArgumentException.class.getName());
  }

  /** A span's trace and span ID: a link's context is the remote twin of the local one. */
  private static String ids(SpanContext context) {
    return context.getTraceId() + "-" + context.getSpanId();
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static Map<String, SpanData> byMessageId(List<SpanData> spans) {
    return spans.stream()
        .collect(Collectors.toMap(s -> s.getAttributes().get(MESSAGING_MESSAGE_ID), s -> s));
  }
}

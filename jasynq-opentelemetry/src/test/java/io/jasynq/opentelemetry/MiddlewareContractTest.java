package io.jasynq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Handler;
import io.jasynq.Task;
import io.jasynq.TaskContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the middleware promises a server, checked without one. */
class MiddlewareContractTest {
  @Test
  void rethrowsTheHandlersOwnExceptionInstance() {
    Exception thrown = new java.io.IOException("disk full");
    Handler failing =
        ctx -> {
          throw thrown;
        };
    try (Tracing tracing = new Tracing()) {
      Handler wrapped = JasynqTelemetry.builder(tracing.sdk).build().middleware().wrap(failing);
      assertThatThrownBy(() -> wrapped.handle(context(Map.of("Traceparent", "bogus"))))
          .isSameAs(thrown);
      assertThat(tracing.spans(SpanKind.CONSUMER))
          .singleElement()
          .satisfies(s -> assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
    }
  }

  @Test
  void worksWithTheNoopOpenTelemetry() throws Exception {
    JasynqTelemetry telemetry = JasynqTelemetry.builder(OpenTelemetry.noop()).build();
    boolean[] ran = {false};
    telemetry.middleware().wrap(ctx -> ran[0] = true).handle(context(Map.of()));
    assertThat(ran[0]).isTrue();
  }

  @Test
  void rejectsNulls() {
    assertThatThrownBy(() -> JasynqTelemetry.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("openTelemetry == null");
    JasynqTelemetry telemetry = JasynqTelemetry.builder(OpenTelemetry.noop()).build();
    assertThatThrownBy(() -> telemetry.middleware().wrap(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("next == null");
  }

  private static TaskContext context(Map<String, String> headers) {
    Task task = Task.builder("t").payload("p").build().withHeaders(headers);
    return new TaskContext() {
      @Override
      public Task task() {
        return task;
      }

      @Override
      public String taskId() {
        return "id-1";
      }

      @Override
      public String queue() {
        return "default";
      }

      @Override
      public int retryCount() {
        return 0;
      }

      @Override
      public int maxRetry() {
        return 1;
      }

      @Override
      public Instant deadline() {
        return Instant.MAX;
      }

      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public boolean writeResult(byte[] result) {
        return false;
      }
    };
  }
}

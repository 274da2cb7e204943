package io.jasynq.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.HandlerNotFoundException;
import io.jasynq.Middleware;
import io.jasynq.ServeMux;
import io.jasynq.Task;
import io.jasynq.TaskContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Asynq's routing rules (wire-format §4.10): exact, then longest prefix; middleware outermost
 * first.
 */
class ServeMuxTest {
  private static TaskContext context(String type) {
    Task task = Task.of(type);
    return new TaskContext() {
      @Override
      public Task task() {
        return task;
      }

      @Override
      public String taskId() {
        return "id";
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
        return 25;
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

  @Test
  void exactMatchThenLongestPrefixWins() throws Exception {
    List<String> calls = new ArrayList<>();
    ServeMux mux =
        new ServeMux()
            .handle("email", ctx -> calls.add("email"))
            .handle("email:", ctx -> calls.add("email:"))
            .handle("email:welcome", ctx -> calls.add("email:welcome"))
            .handle("image", ctx -> calls.add("image"));
    mux.handle(context("email:welcome"));
    mux.handle(context("email:reset"));
    mux.handle(context("email"));
    mux.handle(context("image:resize"));
    assertThat(calls).containsExactly("email:welcome", "email:", "email", "image");
  }

  @Test
  void unknownTypeFailsWithHandlerNotFound() {
    ServeMux mux = new ServeMux().handle("email:", ctx -> {});
    assertThatThrownBy(() -> mux.handle(context("sms:send")))
        .isInstanceOf(HandlerNotFoundException.class)
        .hasMessage("handler not found for task \"sms:send\"");
  }

  @Test
  void middlewareRunsInRegistrationOrderFirstOutermost() throws Exception {
    List<String> calls = new ArrayList<>();
    Middleware a =
        next ->
            ctx -> {
              calls.add("a>");
              next.handle(ctx);
              calls.add("<a");
            };
    Middleware b =
        next ->
            ctx -> {
              calls.add("b>");
              next.handle(ctx);
              calls.add("<b");
            };
    ServeMux mux = new ServeMux().handle("t", ctx -> calls.add("handler")).use(a, b);
    mux.handle(context("t"));
    assertThat(calls).containsExactly("a>", "b>", "handler", "<b", "<a");
    calls.clear();
    assertThatThrownBy(() -> mux.handle(context("other")))
        .isInstanceOf(HandlerNotFoundException.class);
    assertThat(calls).containsExactly("a>", "b>"); // middleware also wraps the not-found handler
  }

  @Test
  void registrationErrors() {
    ServeMux mux = new ServeMux().handle("t", ctx -> {});
    assertThatThrownBy(() -> mux.handle("t", ctx -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered");
    assertThatThrownBy(() -> mux.handle(" ", ctx -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pattern");
    assertThatThrownBy(() -> mux.handle("x", null)).isInstanceOf(NullPointerException.class);
  }
}

package io.jasynq.spring.boot;

import io.jasynq.Handler;

/**
 * A {@link Handler} bean that names its own {@link io.jasynq.ServeMux} pattern: the alternative to
 * {@link TaskHandler @TaskHandler} on the class when the pattern is computed (from properties, for
 * instance). Every bean of this type is routed by the auto-configured server.
 *
 * <pre>{@code
 * @Bean
 * PatternHandler reports() {
 *   return PatternHandler.of("report:", ctx -> render(ctx.task()));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface PatternHandler extends Handler {
  /** The task type, or a type prefix, this handler serves; not blank. */
  String pattern();

  /**
   * A pattern handler delegating to {@code handler}.
   *
   * @throws NullPointerException if an argument is null
   */
  static PatternHandler of(String pattern, Handler handler) {
    java.util.Objects.requireNonNull(pattern, "pattern == null");
    java.util.Objects.requireNonNull(handler, "handler == null");
    return new PatternHandler() {
      @Override
      public String pattern() {
        return pattern;
      }

      @Override
      public void handle(io.jasynq.TaskContext context) throws Exception {
        handler.handle(context);
      }

      @Override
      public String toString() {
        return "PatternHandler[" + pattern + "]";
      }
    };
  }
}

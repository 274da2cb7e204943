package io.jasynq.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Routes tasks to a bean: on a method, the method handles tasks of the type; on a class that
 * implements {@link io.jasynq.Handler}, the bean handles them. The value is a {@link
 * io.jasynq.ServeMux} pattern: an exact type, or a prefix such as {@code "email:"} (the longest
 * matching pattern wins).
 *
 * <p>A method takes at most one payload parameter and at most one {@link io.jasynq.TaskContext}, in
 * any order: {@code byte[]} receives the raw payload, {@code String} the payload as UTF-8, any
 * other type the payload bound from JSON by the {@link PayloadConverter} (the application's Jackson
 * {@code JsonMapper} by default). A payload that does not bind fails with {@link
 * io.jasynq.SkipRetryException}: the task is archived at once, since no retry can succeed. The
 * return value is ignored; throw to fail the attempt (it is retried with back-off).
 *
 * <pre>{@code
 * @Component
 * class Emails {
 *   @TaskHandler("email:welcome")
 *   void welcome(Welcome payload, TaskContext context) { ... }
 * }
 * }</pre>
 *
 * <p>Two routes with the same pattern fail the application context at start.
 *
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskHandler {
  /** The task type, or a type prefix, this handler serves; not blank. */
  String value();
}

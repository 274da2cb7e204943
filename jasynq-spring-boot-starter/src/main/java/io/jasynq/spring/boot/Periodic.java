package io.jasynq.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Also enqueues a task for this {@link TaskHandler} on a cron spec: the auto-configured {@link
 * io.jasynq.Scheduler} registers one entry per annotation when the context starts. It goes on a
 * {@code @TaskHandler} method, or on a {@code @TaskHandler} {@link io.jasynq.Handler} class, and
 * nowhere else (the context fails at start otherwise).
 *
 * <pre>{@code
 * @TaskHandler("report:daily")
 * @Periodic(cron = "CRON_TZ=Europe/Berlin 0 9 * * MON-FRI", queue = "low")
 * void daily(TaskContext context) { ... }
 * }</pre>
 *
 * <p>The task is fixed when the context starts: its {@link #type()} (by default the handler's
 * pattern), its {@link #payload()} (none by default) and its {@link #queue()}. A pattern ending in
 * {@code ':'} is a prefix, not a type: such a handler needs an explicit {@code type} that it serves
 * (that starts with its pattern and that no longer pattern takes), or the context fails at start.
 * Repeatable: one handler may run on several schedules, for example with different payloads.
 *
 * <p><b>Replicas.</b> Every replica of the application registers the same entry, and jasynq's
 * schedulers enqueue each tick once between them (see {@link io.jasynq.Scheduler}); the entries
 * must be equal (same spec, zone, type, payload and queue) for that.
 *
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(Periodic.List.class)
public @interface Periodic {
  /**
   * The cron spec, as {@link io.jasynq.CronSpec} reads it: five fields, {@code @daily}, {@code
   * @every 30s}, optionally with a {@code CRON_TZ=} prefix. An invalid spec fails the context at
   * start, naming the handler and the spec.
   */
  String cron();

  /** The task type; empty (the default) means the handler's pattern. */
  String type() default "";

  /** The payload, as UTF-8 text (JSON for a typed handler parameter); empty means none. */
  String payload() default "";

  /** The queue; empty means {@code "default"}. */
  String queue() default "";

  /**
   * The IANA zone the spec is evaluated in, e.g. {@code "Europe/Berlin"}; empty means UTC (or the
   * spec's own {@code CRON_TZ=} prefix, which cannot be combined with this).
   */
  String zone() default "";

  /**
   * Holds repeated {@link Periodic} annotations; the compiler writes it.
   *
   * @since 0.1
   */
  @Target({ElementType.METHOD, ElementType.TYPE})
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface List {
    /** The annotations. */
    Periodic[] value();
  }
}

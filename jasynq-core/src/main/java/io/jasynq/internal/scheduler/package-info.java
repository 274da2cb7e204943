/**
 * Periodic tasks: the cron grammar ({@link io.jasynq.internal.scheduler.CronSchedule}), the entry
 * runner that fires due entries and beats ({@link io.jasynq.internal.scheduler.SchedulerRuntime}),
 * the option strings Asynq readers parse ({@link io.jasynq.internal.scheduler.GoText}) and the
 * periodic-config sync ({@link io.jasynq.internal.scheduler.ConfigSync}).
 *
 * <p>Not API: may change without notice.
 */
package io.jasynq.internal.scheduler;

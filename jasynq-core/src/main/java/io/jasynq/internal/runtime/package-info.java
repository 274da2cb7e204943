/**
 * What a server and a scheduler both run on: the {@link io.jasynq.internal.runtime.PeriodicRunner}
 * that drives their {@link io.jasynq.internal.runtime.PeriodicPart}s, the {@link
 * io.jasynq.internal.runtime.ThreadFactoryBuilder} that names their threads, and the {@link
 * io.jasynq.internal.runtime.ProcessIdentity} in their Redis keys. Depends on neither {@code
 * internal.server} nor {@code internal.scheduler}.
 *
 * <p>Not API: may change without notice.
 */
package io.jasynq.internal.runtime;

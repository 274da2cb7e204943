/**
 * The jasynq web dashboard: asynqmon's JSON API (plus searches, type breakdowns and payload
 * previews) and its page, as a Jakarta Servlet built on the public {@link io.jasynq.Inspector}.
 *
 * <p>Start with {@link io.jasynq.dashboard.Dashboard#builder()}; mount {@link
 * io.jasynq.dashboard.Dashboard#servlet()} at any path of a Servlet 6 container.
 *
 * @since 0.2
 */
package io.jasynq.dashboard;

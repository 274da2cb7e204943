/** Machinery shared by jasynq's own packages. Not API: may change without notice. */
package io.jasynq.internal;

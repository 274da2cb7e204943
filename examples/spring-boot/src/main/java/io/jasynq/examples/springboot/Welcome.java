package io.jasynq.examples.springboot;

/**
 * The payload of an {@code email:welcome} task, stored as JSON ({@code {"email":"..."}}).
 *
 * @param email where the welcome e-mail goes
 */
public record Welcome(String email) {}

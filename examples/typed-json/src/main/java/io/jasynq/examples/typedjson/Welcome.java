package io.jasynq.examples.typedjson;

import java.util.List;

/** The payload of an {@code email:welcome} task, stored as JSON. */
public record Welcome(long userId, String email, List<String> interests) {}

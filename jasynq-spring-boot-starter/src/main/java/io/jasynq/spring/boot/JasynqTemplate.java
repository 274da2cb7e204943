package io.jasynq.spring.boot;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import java.util.Objects;

/**
 * Enqueues typed payloads: serialises them with the same {@link PayloadConverter} that binds them
 * for {@link TaskHandler @TaskHandler} methods ({@code byte[]} and {@code String} as is, other
 * objects as JSON with the application's Jackson mapper).
 *
 * <pre>{@code
 * template.enqueue("email:welcome", new Welcome("ada@example.com"), TaskOption.queue("critical"));
 * }</pre>
 *
 * <p>Thread-safe. It borrows the {@link Client}; closing the context closes the client.
 *
 * @since 0.1
 */
public final class JasynqTemplate {
  private final Client client;
  private final PayloadConverter converter;

  /**
   * A template over {@code client}.
   *
   * @throws NullPointerException if an argument is null
   */
  public JasynqTemplate(Client client, PayloadConverter converter) {
    this.client = Objects.requireNonNull(client, "client == null");
    this.converter = Objects.requireNonNull(converter, "converter == null");
  }

  /**
   * Enqueues a task of {@code type} whose payload is {@code payload} converted; null is an empty
   * payload.
   *
   * @return what was stored
   * @throws IllegalArgumentException if the payload cannot be converted or an option is invalid
   * @throws io.jasynq.JasynqException if Redis refuses or cannot be reached (see {@link
   *     Client#enqueue})
   */
  public TaskInfo enqueue(String type, Object payload, TaskOption... options) {
    Objects.requireNonNull(type, "type == null");
    return client.enqueue(Task.of(type, converter.toPayload(payload)), options);
  }

  /** The client this template enqueues with. */
  public Client client() {
    return client;
  }

  @Override
  public String toString() {
    return "JasynqTemplate[" + client + "]";
  }
}

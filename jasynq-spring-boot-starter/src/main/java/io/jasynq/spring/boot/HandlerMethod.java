package io.jasynq.spring.boot;

import io.jasynq.Handler;
import io.jasynq.SkipRetryException;
import io.jasynq.TaskContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskHandler @TaskHandler} method as a {@link Handler}. Immutable; runs on worker
 * threads.
 */
final class HandlerMethod implements Handler {
  private final Object bean;
  private final Method method;
  private final int contextIndex; // -1: no TaskContext parameter
  private final int payloadIndex; // -1: no payload parameter
  private final @Nullable Type payloadType; // null: the method takes no payload
  private final PayloadConverter converter;

  private HandlerMethod(
      Object bean, Method method, int contextIndex, int payloadIndex, PayloadConverter converter) {
    this.bean = bean;
    this.method = method;
    this.contextIndex = contextIndex;
    this.payloadIndex = payloadIndex;
    this.payloadType = payloadIndex < 0 ? null : method.getGenericParameterTypes()[payloadIndex];
    this.converter = converter;
  }

  /**
   * Checks the signature and makes the handler.
   *
   * @throws IllegalStateException naming the method if its parameters are not supported
   */
  static HandlerMethod of(Object bean, Method method, PayloadConverter converter) {
    int contextIndex = -1;
    int payloadIndex = -1;
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      if (types[i] == TaskContext.class && contextIndex < 0) {
        contextIndex = i;
      } else if (payloadIndex < 0) {
        payloadIndex = i;
      } else {
        throw new IllegalStateException(
            "@TaskHandler method "
                + method.toGenericString()
                + " must take at most one payload parameter and one TaskContext");
      }
    }
    if (payloadIndex >= 0 && !converter.supports(method.getGenericParameterTypes()[payloadIndex])) {
      throw new IllegalStateException(
          "@TaskHandler method "
              + method.toGenericString()
              + " takes a "
              + types[payloadIndex].getName()
              + " payload but the payload converter supports only byte[] and String: add Jackson"
              + " (a tools.jackson JsonMapper bean) or declare a PayloadConverter bean");
    }
    method.setAccessible(true);
    return new HandlerMethod(bean, method, contextIndex, payloadIndex, converter);
  }

  @Override
  public void handle(TaskContext context) throws Exception {
    Object[] args = new Object[method.getParameterCount()];
    if (contextIndex >= 0) {
      args[contextIndex] = context;
    }
    if (payloadIndex >= 0) {
      args[payloadIndex] = bind(context);
    }
    try {
      method.invoke(bean, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw (Error) cause;
    }
  }

  private @Nullable Object bind(TaskContext context) {
    try {
      return converter.fromPayload(context.task().payload(), Objects.requireNonNull(payloadType));
    } catch (RuntimeException e) {
      throw new SkipRetryException(
          "task "
              + context.taskId()
              + " ("
              + context.task().type()
              + "): "
              + e.getMessage()
              + "; archived, a retry cannot bind it either",
          e);
    }
  }

  @Override
  public String toString() {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }
}

package io.jasynq.spring.boot;

import io.jasynq.Handler;
import io.jasynq.ServeMux;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Collects the routes of an application context as its beans are initialised: {@link TaskHandler}
 * methods, {@link TaskHandler}-annotated {@link Handler} beans and {@link PatternHandler} beans.
 * The routes are complete once every singleton exists, which is before any {@code SmartLifecycle}
 * starts. Shared: guarded by {@code this}.
 */
final class TaskHandlerRegistry implements BeanPostProcessor {
  private final ObjectProvider<PayloadConverter> converter;
  private final Map<String, Handler> routes = new LinkedHashMap<>(); // guarded by this
  private final Map<String, String> sources = new LinkedHashMap<>(); // pattern -> bean, for errors

  TaskHandlerRegistry(ObjectProvider<PayloadConverter> converter) {
    this.converter = converter;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (bean instanceof PatternHandler handler) {
      add(handler.pattern(), handler, beanName);
    } else if (bean instanceof Handler handler) {
      TaskHandler annotation = AnnotatedElementUtils.findMergedAnnotation(type, TaskHandler.class);
      if (annotation != null) {
        add(annotation.value(), handler, beanName);
      }
    }
    Map<Method, TaskHandler> methods =
        MethodIntrospector.selectMethods(
            type,
            (MethodIntrospector.MetadataLookup<TaskHandler>)
                m -> AnnotatedElementUtils.findMergedAnnotation(m, TaskHandler.class));
    methods.forEach(
        (method, annotation) -> {
          Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
          add(
              annotation.value(),
              HandlerMethod.of(bean, invocable, converter.getObject()),
              beanName + "." + method.getName());
        });
    return bean;
  }

  private synchronized void add(String pattern, Handler handler, String source) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalStateException("@TaskHandler pattern of " + source + " must not be blank");
    }
    String previous = sources.putIfAbsent(pattern, source);
    if (previous != null) {
      throw new IllegalStateException(
          "task pattern \"" + pattern + "\" is handled twice: by " + previous + " and " + source);
    }
    routes.put(pattern, handler);
  }

  /** Whether any route was found. */
  synchronized boolean isEmpty() {
    return routes.isEmpty();
  }

  /** Pattern → where it was declared (bean or bean.method), in discovery order. */
  synchronized Map<String, String> patterns() {
    return Map.copyOf(sources);
  }

  /** A mux with every route found so far. */
  synchronized ServeMux mux() {
    ServeMux mux = new ServeMux();
    routes.forEach(mux::handle);
    return mux;
  }
}
